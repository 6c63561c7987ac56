/**
 * Lists in messages that grow with the data (files of a folder, resources of an estate): a few names
 * and "and 1,437 more", so that one message stays one line whatever the folder holds.
 */

/** How many names a message lists before "and N more". */
export const FEW = 3;

/** 1437 as "1,437". */
const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** "a, b, c" or "a, b, c and 1,437 more" (names without repeats, in the order given). */
export function fewNames(names: readonly string[], max = FEW): string {
  const unique = [...new Set(names)];
  if (unique.length <= max) return unique.join(', ');
  return `${unique.slice(0, max).join(', ')} and ${count(unique.length - max)} more`;
}

/** The folder every path is in ("/data/export" for "/data/export/a/x.json" and "/data/export/b.json"), or ''. */
function commonFolder(paths: readonly string[]): string {
  const split = paths.map((p) => p.split('/').slice(0, -1));
  const first = split[0] ?? [];
  let n = first.length;
  for (const parts of split) {
    let k = 0;
    while (k < n && parts[k] === first[k]) k++;
    n = k;
  }
  const folder = first.slice(0, n).join('/');
  return folder === '' && n > 0 ? '/' : folder;
}

/**
 * Files in a message: "a.json, b.json" when there are a few; else their folder and a few of them,
 * "1,440 files in /data/export (a/x.json, a/y.json, b/z.json and 1,437 more)".
 */
export function fewFiles(paths: readonly string[], max = FEW): string {
  const unique = [...new Set(paths)];
  if (unique.length <= max) return unique.join(', ');
  const folder = commonFolder(unique);
  if (folder === '') return `${fewNames(unique, max)} files`;
  const inside = unique.map((p) => p.slice(folder === '/' ? 1 : folder.length + 1));
  return `${count(unique.length)} files in ${folder} (${fewNames(inside, max)})`;
}
