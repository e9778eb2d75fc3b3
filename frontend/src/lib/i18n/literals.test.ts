import { expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// No literal UI text in components: every word a citizen sees comes from
// vi.ts / en.ts or from the catalogue.
function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? svelteFiles(join(dir, e.name)) : e.name.endsWith('.svelte') ? [join(dir, e.name)] : [],
  );
}

function stripExpressions(s: string): string {
  let out = '';
  let depth = 0;
  for (const ch of s) {
    if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

test('components have no literal text', () => {
  const src = new URL('../../', import.meta.url).pathname;
  const files = svelteFiles(src);
  expect(files.length).toBeGreaterThan(5);
  for (const f of files) {
    let s = readFileSync(f, 'utf8');
    s = s.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<style[\s\S]*?<\/style>/g, '');
    s = stripExpressions(s);
    const text = s.replace(/<[^>]*>/g, ' ');
    const words = text.match(/\p{L}{2,}/gu) ?? [];
    expect(words, f).toEqual([]);
    // Attributes people read: aria-label, placeholder, title, alt.
    const attrs = s.match(/\b(aria-label|placeholder|title|alt)="[^"]*\p{L}{2,}[^"]*"/gu) ?? [];
    expect(attrs, f).toEqual([]);
  }
});
