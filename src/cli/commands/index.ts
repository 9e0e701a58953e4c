import type { CliCommand } from "../command";
import { replayCommand } from "./replay";
import { analyzeCommand } from "./analyze";
import { sbtDataCommand } from "./sbtData";
import { askCommand } from "./ask";
import { demoModelCommand } from "./demoModel";
import { modelsCommand } from "./models";
import { calibrateCommand } from "./calibrate";
import { benchCommand } from "./bench";

/** Every sub-command, in the order `--help` lists them. Each lives in its own file here. */
export const COMMANDS: readonly CliCommand[] = [
  replayCommand,
  analyzeCommand,
  sbtDataCommand,
  askCommand,
  demoModelCommand,
  modelsCommand,
  calibrateCommand,
  benchCommand,
];
