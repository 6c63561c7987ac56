/** About how many characters a renderer gathers before it yields them (streamed output, `-o json|csv|tsv|yaml`). */
export const CHUNK_CHARS = 64 * 1024;
