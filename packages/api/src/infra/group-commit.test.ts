import { describe, expect, it } from "vitest";
import { GroupCommitter, ItemFailed } from "./group-commit";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("GroupCommitter", () => {
  it("writes what arrives during a write as the next batch, answering each caller with its own result", async () => {
    const batches: number[][] = [];
    const committer = new GroupCommitter<number, number>(async (items) => {
      batches.push(items);
      await tick();
      return items.map((n) => n * 10);
    });
    const first = [1, 2].map((n) => committer.submit(n));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const second = [3, 4, 5].map((n) => committer.submit(n));
    expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it("sends the first item at once without waitTurn, and never more than maxBatch together", async () => {
    const batches: string[][] = [];
    const committer = new GroupCommitter<string>(
      async (items) => {
        batches.push(items);
        await tick();
      },
      { waitTurn: false, maxBatch: 2 },
    );
    await Promise.all(["a", "b", "c", "d", "e"].map((s) => committer.submit(s)));
    expect(batches).toEqual([["a"], ["b", "c"], ["d", "e"]]);
  });

  it("fails every caller of a failed write, and only them", async () => {
    let calls = 0;
    const committer = new GroupCommitter<number, number>(
      async (items) => {
        calls++;
        await tick();
        if (calls === 1) throw new Error("disk full");
        return items;
      },
      { waitTurn: false },
    );
    const results = await Promise.allSettled([1, 2, 3].map((n) => committer.submit(n)));
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    await expect(committer.submit(4)).resolves.toBe(4);
  });

  it("refuses a write that answers the wrong number of results", async () => {
    const committer = new GroupCommitter<number, number>(async () => [1]);
    await expect(Promise.all([committer.submit(1), committer.submit(2)])).rejects.toThrow(/2 items/);
  });
});

describe("GroupCommitter: one item failing", () => {
  it("an ItemFailed result rejects its own caller only", async () => {
    const committer = new GroupCommitter<number, number>(async (items) =>
      items.map((n) => (n === 2 ? new ItemFailed(new Error("two is refused")) : n)),
    );
    const results = await Promise.allSettled([1, 2, 3].map((n) => committer.submit(n)));
    expect(results).toEqual([
      { status: "fulfilled", value: 1 },
      { status: "rejected", reason: new Error("two is refused") },
      { status: "fulfilled", value: 3 },
    ]);
  });
});
