/**
 * Where a JSON syntax error is, for a message: V8's SyntaxError text with its line and column, and a
 * small JSON scanner for messages that give no position.
 */
import { oneLine } from './response-messages.js';

/**
 * V8's SyntaxError text with a position and its line and column. V8 gives "Unexpected token '}',
 * "{"a": }" is not valid JSON" without a position (and with a piece of the text, maybe over several
 * lines); the position is then found by a small JSON scanner.
 */
export function describeSyntaxError(message: string, text: string): string {
  let msg = message;
  let pos: number | undefined;
  const at = / at position (\d+)/.exec(msg);
  if (at) {
    pos = Number(at[1]);
    msg = msg.replace(/ \(line \d+ column \d+\)/, '');
  } else if (msg.startsWith('Unexpected end of JSON input')) {
    pos = text.length;
    msg = 'Unexpected end of JSON input';
  } else {
    const token = /^Unexpected token '([\s\S]*?)', [\s\S]*$/.exec(msg);
    pos = locateJsonError(text);
    if (token) msg = `Unexpected token '${token[1]}'${pos !== undefined ? ` in JSON at position ${pos}` : ''}`;
  }
  if (pos !== undefined && pos <= text.length) {
    const { line, column } = lineColumn(text, pos);
    msg += ` (line ${line}, column ${column})`;
  }
  return oneLine(msg);
}

/** 1-based line and column (in UTF-16 units) of a position in the text. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: pos - lineStart + 1 };
}

/** Position of the first JSON syntax error in the text, or undefined when none is found (or too deep). */
function locateJsonError(text: string): number | undefined {
  const scanner = new ErrorScanner(text);
  try {
    scanner.value(0);
    scanner.ws();
    return scanner.i < text.length ? scanner.i : undefined;
  } catch (e) {
    if (e instanceof Stop) return e.pos >= 0 ? e.pos : undefined;
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/** Where the scan stopped (-1: nested too deeply to say). */
class Stop {
  constructor(readonly pos: number) {}
}

/** A recursive JSON scanner that only finds where the text stops being JSON (cold: error messages only). */
class ErrorScanner {
  i = 0;
  private readonly n: number;

  constructor(private readonly text: string) {
    this.n = text.length;
  }

  ws(): void {
    const { text, n } = this;
    while (this.i < n) {
      const c = text.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  value(depth: number): void {
    if (depth > 2000) throw new Stop(-1);
    this.ws();
    if (this.i >= this.n) throw new Stop(this.i);
    const c = this.text[this.i];
    if (c === '{') this.object(depth);
    else if (c === '[') this.array(depth);
    else if (c === '"') this.str();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) this.number(c);
    else this.word(c);
  }

  private object(depth: number): void {
    const text = this.text;
    this.i++;
    this.ws();
    if (text[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      if (text[this.i] !== '"') throw new Stop(this.i);
      this.str();
      this.ws();
      if (text[this.i] !== ':') throw new Stop(this.i);
      this.i++;
      this.value(depth + 1);
      this.ws();
      if (text[this.i] === ',') this.i++;
      else if (text[this.i] === '}') {
        this.i++;
        return;
      } else throw new Stop(this.i);
    }
  }

  private array(depth: number): void {
    const text = this.text;
    this.i++;
    this.ws();
    if (text[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.value(depth + 1);
      this.ws();
      if (text[this.i] === ',') this.i++;
      else if (text[this.i] === ']') {
        this.i++;
        return;
      } else throw new Stop(this.i);
    }
  }

  private str(): void {
    const text = this.text;
    this.i++; // opening quote
    for (;;) {
      if (this.i >= this.n) throw new Stop(this.i);
      const c = text.charCodeAt(this.i);
      if (c === 34) {
        this.i++;
        return;
      }
      if (c < 32) throw new Stop(this.i);
      if (c === 92) {
        const e = text[this.i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.i + 2, this.i + 6))) throw new Stop(this.i);
          this.i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.i += 2;
        else throw new Stop(this.i);
      } else this.i++;
    }
  }

  private number(c: string): void {
    const text = this.text;
    if (c === '-') this.i++;
    if (text[this.i] === '0') this.i++;
    else this.digits();
    if (text[this.i] === '.') {
      this.i++;
      this.digits();
    }
    if (text[this.i] === 'e' || text[this.i] === 'E') {
      this.i++;
      if (text[this.i] === '+' || text[this.i] === '-') this.i++;
      this.digits();
    }
  }

  private digits(): void {
    const s = this.i;
    while (this.i < this.n && this.text.charCodeAt(this.i) >= 48 && this.text.charCodeAt(this.i) <= 57) this.i++;
    if (this.i === s) throw new Stop(this.i);
  }

  private word(c: string | undefined): void {
    for (const word of ['true', 'false', 'null']) {
      if (word[0] !== c) continue;
      for (let k = 0; k < word.length; k++, this.i++) if (this.text[this.i] !== word[k]) throw new Stop(this.i);
      return;
    }
    throw new Stop(this.i);
  }
}
