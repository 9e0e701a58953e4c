import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JSDOM } from "jsdom";
import { frontierSvg, niceTicks } from "../../../../src/core/chart/frontierSvg";

describe("the frontier chart", () => {
  const points = [
    { label: "no brake", series: "no brake", x: 1000, accuracy: 0.8 },
    { label: "threshold 0.20", series: "brake", x: 700, accuracy: 0.8, highlighted: true },
    { label: "threshold 0.10", series: "brake", x: 500, accuracy: 0.7 },
    { label: "budget <700>", series: "fixed budget", x: 700, accuracy: 0.65 },
  ];
  const svg = frontierSvg(points, { title: "Accuracy & cost <test>", xLabel: "mean thinking tokens" });
  const doc = new JSDOM(svg, { contentType: "image/svg+xml" }).window.document;

  it("is well-formed SVG with one titled point per input, in the input's numbers", () => {
    assert.equal(doc.documentElement.tagName, "svg");
    const tips = [...doc.querySelectorAll("g.point > title")].map((t) => t.textContent);
    assert.equal(tips.length, points.length);
    assert.ok(tips.includes("threshold 0.20: 80.0 % at 700 mean thinking tokens"));
    assert.ok(tips.includes("budget <700>: 65.0 % at 700 mean thinking tokens"), "labels are escaped, not markup");
    assert.equal(doc.querySelector("svg > title")?.textContent, "Accuracy & cost <test>");
  });

  it("draws a line per series with more than one point, rings the highlighted point, and a legend entry per series", () => {
    assert.equal(doc.querySelectorAll("polyline.series-line").length, 1);
    const line = doc.querySelector("polyline.series-line")?.getAttribute("points")?.split(" ") ?? [];
    assert.equal(line.length, 2);
    assert.ok(Number(line[0]?.split(",")[0]) < Number(line[1]?.split(",")[0]), "in cost order");
    assert.equal(doc.querySelectorAll(".highlight-ring").length, 1);
    assert.deepEqual([...doc.querySelectorAll("text.chart-legend")].map((t) => t.textContent), ["no brake", "brake", "fixed budget"]);
  });

  it("places higher accuracy higher and more cost further right", () => {
    const centre = (label: string): { x: number; y: number } => {
      const g = [...doc.querySelectorAll("g.point")].find((e) => e.querySelector("title")?.textContent?.startsWith(`${label}:`));
      const shape = g?.querySelector("circle, rect, polygon");
      if (shape?.tagName === "circle") return { x: Number(shape.getAttribute("cx")), y: Number(shape.getAttribute("cy")) };
      if (shape?.tagName === "rect") return { x: Number(shape.getAttribute("x")) + 4, y: Number(shape.getAttribute("y")) + 4 };
      const [x, y] = (shape?.getAttribute("points")?.split(" ")[0] ?? "0,0").split(",").map(Number);
      return { x: x ?? 0, y: y ?? 0 };
    };
    assert.ok(centre("no brake").x > centre("threshold 0.20").x);
    assert.ok(centre("threshold 0.20").y < centre("threshold 0.10").y);
  });

  it("keeps every legend entry inside the picture, the longest series name included", () => {
    const names = ["no brake", "brake (text)", "brake + end-of-thinking signal", "fixed budget"];
    const wide = frontierSvg(names.map((series, i) => ({ label: series, series, x: 100 * (i + 1), accuracy: 0.8 })), { title: "t", xLabel: "x" });
    const d = new JSDOM(wide, { contentType: "image/svg+xml" }).window.document;
    const width = Number(d.documentElement.getAttribute("width"));
    const height = Number(d.documentElement.getAttribute("height"));
    // 11 px sans-serif: at most ~6.5 px a character
    for (const text of d.querySelectorAll("text.chart-legend")) {
      const right = Number(text.getAttribute("x")) + 6.5 * (text.textContent ?? "").length;
      assert.ok(right <= width, `"${text.textContent}" ends at ${right} of ${width}`);
      assert.ok(Number(text.getAttribute("y")) <= height - 4, `"${text.textContent}" below the picture`);
    }
  });

  it("picks round ticks", () => {
    assert.deepEqual(niceTicks(0, 1000, 5), [0, 200, 400, 600, 800, 1000]);
    assert.deepEqual(niceTicks(60, 100, 5), [60, 70, 80, 90, 100]);
    assert.deepEqual(niceTicks(5, 5), [5]);
  });

  it("draws an empty chart without failing", () => {
    assert.match(frontierSvg([], { title: "t", xLabel: "x" }), /^<svg[^]*<\/svg>$/);
  });
});
