/**
 * Chat templates (Jinja) for the scripted models. Written for this project: a ChatML-style
 * layout, with a think block in the assistant turn for the reasoning variants.
 */

const TURNS = `{%- for message in messages -%}
{%- if message.role == 'assistant' -%}
{{- '<|im_start|>assistant\\n' + message.content + '<|im_end|>\\n' -}}
{%- else -%}
{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' -}}
{%- endif -%}
{%- endfor -%}`;

/** The generation prompt opens the think block: the model starts inside its thinking. */
export const THINK_OPENED_TEMPLATE = `${TURNS}
{%- if add_generation_prompt -%}
{{- '<|im_start|>assistant\\n<think>\\n' -}}
{%- endif -%}`;

/** No think block at all: a model that answers directly. */
export const PLAIN_TEMPLATE = `${TURNS}
{%- if add_generation_prompt -%}
{{- '<|im_start|>assistant\\n' -}}
{%- endif -%}`;

/** Past turns keep a think block in the markup, but the model opens its own thinking. */
export const THINK_BY_MODEL_TEMPLATE = `{%- for message in messages -%}
{%- if message.role == 'assistant' -%}
{{- '<|im_start|>assistant\\n' -}}
{%- if message.reasoning_content is defined and message.reasoning_content -%}
{{- '<think>\\n' + message.reasoning_content + '\\n</think>\\n\\n' -}}
{%- endif -%}
{{- message.content + '<|im_end|>\\n' -}}
{%- else -%}
{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' -}}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}
{{- '<|im_start|>assistant\\n' -}}
{%- endif -%}`;
