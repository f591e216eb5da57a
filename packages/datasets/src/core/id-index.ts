/**
 * Raw id ↔ dense index, assigned in order of first appearance. `finalize('numeric')` can renumber by ascending
 * numeric id (MovieLens-100K: index = id − 1); the returned permutation maps old → new indices.
 */
export class IdIndex {
  private readonly map = new Map<string, number>();
  private readonly list: string[] = [];

  get size(): number {
    return this.list.length;
  }

  /** The dense index of `id`, adding it when new. */
  intern(id: string): number {
    const found = this.map.get(id);
    if (found !== undefined) return found;
    const index = this.list.length;
    this.map.set(id, index);
    this.list.push(id);
    return index;
  }

  /** The dense index of `id`, or -1. */
  get(id: string): number {
    return this.map.get(id) ?? -1;
  }

  get ids(): readonly string[] {
    return this.list;
  }

  /**
   * Renumbers ids by ascending numeric value when every id is a decimal integer (else by string order), returning
   * the new id list and the permutation old index → new index.
   */
  sortedPermutation(): { ids: string[]; oldToNew: Int32Array } {
    const order = this.list.map((id, index) => ({ id, index }));
    const numeric = order.every(({ id }) => /^-?\d+$/.test(id));
    order.sort(numeric ? (a, b) => Number(a.id) - Number(b.id) : (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const oldToNew = new Int32Array(order.length);
    order.forEach((entry, newIndex) => {
      oldToNew[entry.index] = newIndex;
    });
    return { ids: order.map((entry) => entry.id), oldToNew };
  }
}
