/**
 * Growable typed-array columns for interactions as they are parsed (user, item, value, optional timestamp,
 * optional source line), doubling capacity so 20M rows cost amortised O(1) each and no per-row objects.
 */
export class InteractionBuffer {
  users: Int32Array;
  items: Int32Array;
  values: Float32Array;
  timestamps: Float64Array | undefined;
  lines: Int32Array | undefined;
  count = 0;

  constructor(options: { timestamps: boolean; lines: boolean; capacity?: number }) {
    const capacity = Math.max(16, options.capacity ?? 1024);
    this.users = new Int32Array(capacity);
    this.items = new Int32Array(capacity);
    this.values = new Float32Array(capacity);
    this.timestamps = options.timestamps ? new Float64Array(capacity) : undefined;
    this.lines = options.lines ? new Int32Array(capacity) : undefined;
  }

  push(user: number, item: number, value: number, timestamp: number, line: number): void {
    if (this.count === this.users.length) this.grow();
    const position = this.count++;
    this.users[position] = user;
    this.items[position] = item;
    this.values[position] = value;
    if (this.timestamps) this.timestamps[position] = timestamp;
    if (this.lines) this.lines[position] = line;
  }

  /** Ensures room for `capacity` entries in total (used with an estimate of a file's row count). */
  reserve(capacity: number): void {
    if (capacity > this.users.length) this.resize(Math.ceil(capacity));
  }

  private grow(): void {
    this.resize(Math.ceil(this.users.length * 1.5));
  }

  private resize(capacity: number): void {
    const grow32 = (array: Int32Array) => {
      const next = new Int32Array(capacity);
      next.set(array);
      return next;
    };
    this.users = grow32(this.users);
    this.items = grow32(this.items);
    const values = new Float32Array(capacity);
    values.set(this.values);
    this.values = values;
    if (this.timestamps) {
      const timestamps = new Float64Array(capacity);
      timestamps.set(this.timestamps);
      this.timestamps = timestamps;
    }
    if (this.lines) this.lines = grow32(this.lines);
  }
}
