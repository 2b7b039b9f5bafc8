// util.escapeJavaScript, util.urlEncode/urlDecode, util.base64Encode/base64Decode, util.xml.

/** Like Apache Commons' escapeEcmaScript (which AppSync's Java runtime uses). */
export function escapeJavaScript(value: string): string {
  let out = '';
  for (const ch of String(value)) {
    const code = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case "'":
      case '"':
      case '\\':
      case '/':
        out += `\\${ch}`;
        break;
      case '\b':
        out += '\\b';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\r':
        out += '\\r';
        break;
      default:
        if (code < 0x20 || code > 0x7e) {
          for (const unit of ch.length === 2 ? [ch.charCodeAt(0), ch.charCodeAt(1)] : [code]) {
            out += `\\u${unit.toString(16).toUpperCase().padStart(4, '0')}`;
          }
        } else {
          out += ch;
        }
    }
  }
  return out;
}

/** java.net.URLEncoder with UTF-8: letters, digits and `.-*_` stay, space becomes `+`. */
export function urlEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(String(value), 'utf8')) {
    const ch = String.fromCharCode(byte);
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || '.-*_'.includes(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function urlDecode(value: string): string {
  return decodeURIComponent(String(value).replace(/\+/g, ' '));
}

export function base64Encode(value: string): string {
  return Buffer.from(String(value), 'utf8').toString('base64');
}

export function base64Decode(value: string): string {
  return Buffer.from(String(value), 'base64').toString('utf8');
}

type XmlValue = string | number | boolean | null | XmlMap | XmlValue[];
interface XmlMap {
  [key: string]: XmlValue;
}

/** A small XML reader for util.xml: elements become keys, repeated elements lists, text is typed. */
export function xmlToMap(xml: string): XmlMap | null {
  const source = String(xml)
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '');
  let pos = 0;
  const decode = (text: string) =>
    text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const typed = (text: string): XmlValue => {
    const t = decode(text.trim());
    if (t === 'true' || t === 'false') return t === 'true';
    if (t !== '' && !Number.isNaN(Number(t)) && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t)) return Number(t);
    return t;
  };
  const element = (): [string, XmlValue] => {
    const open = /^<([A-Za-z_][\w.:-]*)[^>]*?(\/?)>/.exec(source.slice(pos));
    if (!open) throw new SyntaxError(`Invalid XML at ${pos}`);
    pos += open[0].length;
    const name = open[1];
    if (open[2] === '/') return [name, null];
    const children: XmlMap = {};
    let text = '';
    let hasChildren = false;
    for (;;) {
      const close = `</${name}>`;
      if (source.startsWith(close, pos)) {
        pos += close.length;
        break;
      }
      if (pos >= source.length) throw new SyntaxError(`Unclosed element <${name}>`);
      if (source[pos] === '<' && source[pos + 1] !== '/') {
        const [childName, childValue] = element();
        hasChildren = true;
        const existing = children[childName];
        if (existing === undefined) children[childName] = childValue;
        else if (Array.isArray(existing)) existing.push(childValue);
        else children[childName] = [existing, childValue];
      } else {
        const next = source.indexOf('<', pos);
        if (next === -1 || next === pos) throw new SyntaxError(`Invalid XML at ${pos}`);
        text += source.slice(pos, next);
        pos = next;
      }
    }
    return [name, hasChildren ? children : typed(text)];
  };
  const trimmed = source.trim();
  if (trimmed === '') return null;
  pos = source.indexOf('<');
  const [rootName, rootValue] = element();
  return { [rootName]: rootValue };
}
