/** A FIFO async lock: `run` queues work so that only one piece of it runs at a time. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  /** Waits for the lock; resolves to the function that releases it (calling it twice is harmless). */
  acquire(): Promise<() => void> {
    let unlock!: () => void;
    const held = new Promise<void>((resolve) => {
      unlock = resolve;
    });
    const ready = this.#tail.then(() => unlock);
    this.#tail = this.#tail.then(() => held);
    return ready;
  }

  /** Runs `work` once every earlier holder has released the lock. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
