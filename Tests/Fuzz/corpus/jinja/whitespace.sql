a  {%- if true -%}  b  {%- endif -%}  c{# gone #}
{#- comment
over lines -#}
{{- 'd' -}}