import { Fragment, type ComponentChildren, type VNode } from 'preact';

/**
 * Turns a tree of Preact virtual nodes into HTML, byte for byte as preact-render-to-string 6
 * does for what our views use (a test renders every page through both and compares), with
 * less work: one string appended to, attribute names mapped once per name, and no component
 * instances, option hooks or suspense handling. Views are plain functions of their
 * props: a class component, a context consumer or a hook (which needs a component instance
 * that this serializer never makes) throws instead of rendering something else. `prefix` is
 * written first, as it is.
 */
export function serializeHtml(node: ComponentChildren, prefix = ''): string {
  // A prefix (the doctype) starts the one string instead of being joined to it after.
  const out = { html: prefix };
  write(out, node, false, undefined);
  return out.html;
}

/** The HTML elements written `<name/>` when they have no content. */
const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'command',
  'embed',
  'hr',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** A character that may not be in an element's or attribute's name. */
const UNSAFE_NAME = /[\s\n\\/='"\0<>]/;
const NAMESPACED = /^(xlink|xmlns|xml)([A-Z])/;
/** Camel-cased DOM properties whose attribute is the lower-case name (tabIndex → tabindex). */
const HTML_LOWER_CASE =
  /^(?:accessK|auto[A-Z]|cell|ch|col|cont|cross|dateT|encT|form[A-Z]|frame|hrefL|inputM|maxL|minL|noV|playsI|popoverT|readO|rowS|src[A-Z]|tabI|useM|item[A-Z])/;
/** Camel-cased SVG properties whose attribute is hyphenated (strokeWidth → stroke-width). */
const SVG_CAMEL_CASE =
  /^ac|^ali|arabic|basel|cap|clipPath$|clipRule$|color|dominant|enable|fill|flood|font|glyph[^R]|horiz|image|letter|lighting|marker[^WUH]|overline|panose|pointe|paint|rendering|shape|stop|strikethrough|stroke|text[^L]|transform|underline|unicode|units|^v[^i]|^w|^xH/;
/** Boolean DOM properties written as "true"/"false", like aria-* and data-* attributes. */
const ENUMERATED = new Set(['draggable', 'spellcheck']);

/**
 * How a prop name without special handling is written: the attribute's name, whether the value
 * is written as text even when it is a boolean, or null when the prop is not written at all.
 */
interface AttributeName {
  name: string;
  asText: boolean;
}
const htmlNames = new Map<string, AttributeName | null>();
const svgNames = new Map<string, AttributeName | null>();

function attributeName(prop: string, svg: boolean): AttributeName | null {
  const cache = svg ? svgNames : htmlNames;
  let known = cache.get(prop);
  if (known === undefined) {
    known = mapAttributeName(prop, svg);
    cache.set(prop, known);
  }
  return known;
}

function mapAttributeName(prop: string, svg: boolean): AttributeName | null {
  if (UNSAFE_NAME.test(prop)) return null;
  if (NAMESPACED.test(prop)) return { name: prop.replace(NAMESPACED, '$1:$2').toLowerCase(), asText: false };
  if (prop[4] === '-' || ENUMERATED.has(prop)) return { name: prop, asText: true };
  if (svg) {
    if (!SVG_CAMEL_CASE.test(prop)) return { name: prop, asText: false };
    const name = prop === 'panose1' ? 'panose-1' : prop.replace(/([A-Z])/g, '-$1').toLowerCase();
    return { name, asText: false };
  }
  return { name: HTML_LOWER_CASE.test(prop) ? prop.toLowerCase() : prop, asText: false };
}

const ESCAPED = /["&<]/;

/** Text and attribute values: `"`, `&` and `<` as entities (`>` is left as it is). */
export function escapeHtml(text: string): string {
  if (!ESCAPED.test(text)) return text;
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const entity = code === 34 ? '&quot;' : code === 38 ? '&amp;' : code === 60 ? '&lt;' : undefined;
    if (entity === undefined) continue;
    if (i !== last) out += text.slice(last, i);
    out += entity;
    last = i + 1;
  }
  if (last !== text.length) out += text.slice(last);
  return out;
}

/** CSS properties whose numbers take no unit. */
const UNITLESS = new Set([
  'animation-iteration-count',
  'border-image-outset',
  'border-image-slice',
  'border-image-width',
  'box-flex',
  'box-flex-group',
  'box-ordinal-group',
  'column-count',
  'fill-opacity',
  'flex',
  'flex-grow',
  'flex-negative',
  'flex-order',
  'flex-positive',
  'flex-shrink',
  'flood-opacity',
  'font-weight',
  'grid-column',
  'grid-row',
  'line-clamp',
  'line-height',
  'opacity',
  'order',
  'orphans',
  'stop-opacity',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-miterlimit',
  'stroke-opacity',
  'stroke-width',
  'tab-size',
  'widows',
  'z-index',
  'zoom',
]);

/** A style object as CSS text (`{ marginTop: 4 }` → `margin-top:4px;`); undefined when empty. */
function styleText(style: Record<string, unknown>): string | undefined {
  let css = '';
  for (const prop in style) {
    const value = style[prop];
    if (value == null || value === '') continue;
    const name = prop[0] === '-' ? prop : prop.replace(/[A-Z]/g, '-$&').toLowerCase();
    const unit = typeof value === 'number' && !name.startsWith('--') && !UNITLESS.has(name) ? 'px' : '';
    css += `${name}:${String(value)}${unit};`;
  }
  return css || undefined;
}

interface Output {
  html: string;
}

/**
 * Appends one child (text, number, element, component, fragment or list) to `out`. `svg` says
 * whether the child is inside an `<svg>`; `selectValue` is the value of the `<select>` around
 * it, which marks the matching `<option>` as selected.
 */
function write(out: Output, node: unknown, svg: boolean, selectValue: unknown): void {
  if (node == null || typeof node === 'boolean' || node === '') return;
  if (typeof node === 'string') {
    out.html += escapeHtml(node);
    return;
  }
  if (typeof node === 'number' || typeof node === 'bigint') {
    out.html += String(node);
    return;
  }
  if (Array.isArray(node)) {
    for (const child of node) write(out, child, svg, selectValue);
    return;
  }
  if (typeof node === 'function') return;
  if (typeof node !== 'object' || (node as { constructor?: unknown }).constructor !== undefined)
    throw new Error(`cannot render ${Object.prototype.toString.call(node)} as HTML`);

  const { type, props } = node as VNode<Record<string, unknown>>;
  if (typeof type === 'function') {
    if (type === Fragment) {
      if ('tpl' in props || 'UNSTABLE_comment' in props)
        throw new Error('precompiled JSX templates and comments are not supported');
      write(out, props.children, svg, selectValue);
      return;
    }
    const component = type as ((props: unknown) => unknown) & { contextType?: unknown };
    if (typeof component.prototype?.render === 'function')
      throw new Error(`class component ${component.name}: views must be plain functions of their props`);
    if (component.contextType != null)
      throw new Error(`component ${component.name} reads a context: views take what they need as props`);
    write(out, component(props), svg, selectValue);
    return;
  }
  writeElement(out, type as string, props, svg, selectValue);
}

function writeElement(
  out: Output,
  type: string,
  props: Record<string, unknown>,
  svg: boolean,
  selectValue: unknown,
): void {
  if (UNSAFE_NAME.test(type)) throw new Error(`${type} is not a valid HTML tag name`);
  let tag = `<${type}`;
  let children: unknown;
  let inner: unknown;
  for (const prop in props) {
    let value = props[prop];
    if (typeof value === 'function' && prop !== 'class' && prop !== 'className') continue;
    let name = prop;
    switch (prop) {
      case 'children':
        children = value;
        continue;
      case 'key':
      case 'ref':
      case '__self':
      case '__source':
        continue;
      case 'htmlFor':
        if ('for' in props) continue;
        name = 'for';
        break;
      case 'className':
        if ('class' in props) continue;
        name = 'class';
        break;
      case 'defaultChecked':
        name = 'checked';
        break;
      case 'defaultSelected':
        name = 'selected';
        break;
      case 'defaultValue':
      case 'value':
        name = 'value';
        if (type === 'textarea') {
          children = value;
          continue;
        }
        if (type === 'select') {
          selectValue = value;
          continue;
        }
        // Loose equality, as preact-render-to-string compares them.
        if (type === 'option' && selectValue == value && !('selected' in props)) tag += ' selected';
        break;
      case 'dangerouslySetInnerHTML':
        inner = (value as { __html?: unknown } | null)?.__html;
        continue;
      case 'style':
        if (typeof value === 'object' && value !== null) value = styleText(value as Record<string, unknown>);
        break;
      case 'acceptCharset':
        name = 'accept-charset';
        break;
      case 'httpEquiv':
        name = 'http-equiv';
        break;
      default: {
        const mapped = attributeName(prop, svg);
        if (mapped === null) continue;
        name = mapped.name;
        if (mapped.asText && value != null) value = String(value);
      }
    }
    if (value == null || value === false) continue;
    tag += value === true || value === '' ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }

  const childSvg = type === 'svg' || (type !== 'foreignObject' && svg);
  if (VOID_ELEMENTS.has(type)) {
    // Written `<input/>` when empty; a void element given content is written as any other.
    const content = inner ? String(inner) : renderContent(children, childSvg, selectValue);
    out.html += content ? `${tag}>${content}</${type}>` : `${tag}/>`;
    return;
  }
  out.html += `${tag}>`;
  if (inner) out.html += String(inner);
  else if (typeof children === 'string') out.html += escapeHtml(children);
  else if (children != null && typeof children !== 'boolean') write(out, children, childSvg, selectValue);
  out.html += `</${type}>`;
}

function renderContent(children: unknown, svg: boolean, selectValue: unknown): string {
  if (children == null || typeof children === 'boolean') return '';
  if (typeof children === 'string') return escapeHtml(children);
  const out = { html: '' };
  write(out, children, svg, selectValue);
  return out.html;
}
