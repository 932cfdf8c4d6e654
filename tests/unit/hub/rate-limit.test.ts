import { describe, expect, it } from "vitest";
import { createRateBudget, parseRateLimit, parseRateLimitPolicy } from "../../../lib/hub/rate-limit";

/** Header values as the Hub sends them (hub-docs rate-limits.md, IETF draft-ietf-httpapi-ratelimit-headers v9). */
describe("parseRateLimit", () => {
  it.each<[string, string | null, ReturnType<typeof parseRateLimit>]>([
    ["the Hub's api meter", '"api";r=487;t=212', { bucket: "api", remaining: 487, resetSeconds: 212 }],
    ["spaces around parameters", '"api"; r=3; t=9', { bucket: "api", remaining: 3, resetSeconds: 9 }],
    ["the docs' combined name", '"api|pages|resolvers";r=10;t=20', { bucket: "api|pages|resolvers", remaining: 10, resetSeconds: 20 }],
    ["several buckets: the api one is read", '"resolvers";r=2999;t=40, "api";r=12;t=40', { bucket: "api", remaining: 12, resetSeconds: 40 }],
    ["only another bucket: not ours", '"resolvers";r=2999;t=40', undefined],
    ["no name (applies to all)", "r=5;t=7", { remaining: 5, resetSeconds: 7 }],
    ["r without t", '"api";r=12', undefined],
    ["negative or fractional numbers", '"api";r=-1;t=2.5', undefined],
    ["garbage", "<html>", undefined],
    ["absent", null, undefined],
    ["a reset of a day is capped at an hour", '"api";r=0;t=86400', { bucket: "api", remaining: 0, resetSeconds: 3600 }],
  ])("%s", (_name, header, expected) => {
    expect(parseRateLimit(header)).toEqual(expected);
  });
});

describe("parseRateLimitPolicy", () => {
  it.each<[string, string | null, ReturnType<typeof parseRateLimitPolicy>]>([
    ["the Hub's anonymous policy", '"fixed window";"api";q=500;w=300', { bucket: "api", quota: 500, windowSeconds: 300 }],
    ["a PRO user's", '"fixed window";"api";q=2500;w=300', { bucket: "api", quota: 2500, windowSeconds: 300 }],
    ["draft form without a window name", '"api";q=1000;w=300', { bucket: "api", quota: 1000, windowSeconds: 300 }],
    ["pages and api listed", '"fixed window";"pages";q=100;w=300, "fixed window";"api";q=500;w=300', { bucket: "api", quota: 500, windowSeconds: 300 }],
    ["a zero quota is not a policy", '"api";q=0;w=300', undefined],
    ["no quota", '"fixed window";"api";w=300', undefined],
    ["absent", null, undefined],
  ])("%s", (_name, header, expected) => {
    expect(parseRateLimitPolicy(header)).toEqual(expected);
  });
});

describe("the budget: blocked, saving, and the gate for optional work", () => {
  function clock() {
    let time = Date.parse("2026-03-02T10:00:00.000Z");
    return { now: () => time, advance: (ms: number) => (time += ms) };
  }
  const meter = (r: number, t: number, q = 500) => new Headers({ ratelimit: `"api";r=${r};t=${t}`, "ratelimit-policy": `"fixed window";"api";q=${q};w=300` });

  it("plenty left: optional work goes ahead", () => {
    const time = clock();
    const budget = createRateBudget({ now: time.now });
    budget.observe(meter(450, 200), 200);
    expect(budget.allowsOptional()).toBe(true);
    expect(budget.snapshot()).toEqual({ blockedUntil: 0, savingUntil: 0, remaining: 450, quota: 500 });
  });

  it("under 20 % of the policy's quota: optional work waits until the window resets", () => {
    const time = clock();
    const budget = createRateBudget({ now: time.now });
    budget.observe(meter(99, 120), 200);
    expect(budget.allowsOptional()).toBe(false);
    expect(budget.snapshot().savingUntil).toBe(time.now() + 120_000);
    time.advance(119_000);
    expect(budget.allowsOptional()).toBe(false);
    time.advance(1000);
    expect(budget.allowsOptional()).toBe(true);
  });

  it("the threshold follows the quota the Hub states (a PRO window of 2,500)", () => {
    const budget = createRateBudget({ now: clock().now });
    budget.observe(meter(450, 60, 2500), 200);
    expect(budget.allowsOptional()).toBe(false);
  });

  it("without a policy header the anonymous quota of 500 is assumed", () => {
    const budget = createRateBudget({ now: clock().now });
    budget.observe(new Headers({ ratelimit: '"api";r=120;t=60' }), 200);
    expect(budget.allowsOptional()).toBe(true);
    budget.observe(new Headers({ ratelimit: '"api";r=80;t=60' }), 200);
    expect(budget.allowsOptional()).toBe(false);
  });

  it("a fresh window with plenty left ends saving at once", () => {
    const time = clock();
    const budget = createRateBudget({ now: time.now });
    budget.observe(meter(10, 30), 200);
    expect(budget.allowsOptional()).toBe(false);
    budget.observe(meter(499, 300), 200);
    expect(budget.allowsOptional()).toBe(true);
  });

  it("r=0 blocks every call until the reset; a 429 blocks for its Retry-After, and neither is shortened", () => {
    const time = clock();
    const budget = createRateBudget({ now: time.now });
    budget.observe(meter(0, 40), 200);
    expect(budget.blockedUntil()).toBe(time.now() + 40_000);
    budget.block(5);
    expect(budget.blockedUntil()).toBe(time.now() + 40_000);
    budget.block(100);
    expect(budget.blockedUntil()).toBe(time.now() + 100_000);
    expect(budget.allowsOptional()).toBe(false);
  });

  it("tells its listeners when blocked or saving changes, not on every reading", () => {
    const time = clock();
    const budget = createRateBudget({ now: time.now });
    const seen: number[] = [];
    budget.onChange((snapshot) => seen.push(snapshot.savingUntil));
    budget.observe(meter(400, 100), 200);
    budget.observe(meter(90, 100), 200);
    budget.observe(meter(90, 100), 200);
    time.advance(1000);
    budget.observe(meter(89, 99), 200);
    expect(seen).toEqual([time.now() - 1000 + 100_000]);
  });

  it("restores a published block after a restart, ignoring times past or absurd", () => {
    const time = clock();
    const budget = createRateBudget({ now: time.now });
    budget.restore({ blockedUntil: time.now() + 30_000, savingUntil: time.now() - 5 });
    expect(budget.blockedUntil()).toBe(time.now() + 30_000);
    const other = createRateBudget({ now: time.now });
    other.restore({ blockedUntil: Number.POSITIVE_INFINITY, savingUntil: time.now() + 10 * 24 * 3600_000 });
    expect(other.blockedUntil()).toBe(0);
    expect(other.snapshot().savingUntil).toBe(time.now() + 3600_000);
  });
});
