/** mulberry32: a small seeded random number generator, so that generated data is the same on every run. */
export function mulberry32(seed: number): () => number;
