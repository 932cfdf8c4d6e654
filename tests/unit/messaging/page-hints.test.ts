import { describe, expect, it } from "vitest";
import { hintsFromPage, pageHints } from "../../../lib/messaging/page-hints";
import { discussionCountsOf } from "../../../lib/page/islands";

describe("page hints from content scripts", () => {
  it("takes the header's discussion count as the real page gives it", () => {
    expect(discussionCountsOf({ closed: 3, open: 13, total: 16 })).toEqual({ open: 13, total: 16 });
    expect(discussionCountsOf({ closed: 0, open: 0, total: 0 })).toEqual({ open: 0, total: 0 });
  });

  it.each([
    ["absent", undefined],
    ["null", null],
    ["a string", "0"],
    ["counts as strings", { open: "0", total: "0" }],
    ["a negative total", { open: 0, total: -1 }],
    ["a fraction", { open: 0, total: 0.5 }],
    ["more open than in total", { open: 4, total: 2 }],
    ["no total", { open: 0 }],
    ["NaN", { open: Number.NaN, total: 0 }],
    ["an array", [0, 0]],
  ])("ignores a count that is %s: the pull requests are then asked for", (_name, value) => {
    expect(discussionCountsOf(value)).toBeUndefined();
    expect(pageHints({ discussions: value })).toEqual({});
  });

  it("passes the header's count on, and nothing when the page had none", () => {
    expect(hintsFromPage({ discussions: { open: 1, total: 2 } })).toEqual({ discussions: { open: 1, total: 2 } });
    expect(hintsFromPage(undefined)).toEqual({});
    expect(hintsFromPage({})).toEqual({});
  });
});
