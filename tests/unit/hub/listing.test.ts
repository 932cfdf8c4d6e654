import { describe, expect, it } from "vitest";
import { LISTING_EXPAND, listingKey, listingQueryOf, listingUrl, parseListing } from "../../../lib/hub/listing";
import { LIST_EXPANDABLE } from "../../fake-hub/api";

const page = (path: string) => new URL(path, "https://huggingface.co");
const params = (path: string, type: "model" | "dataset" | "space" = "model") => Object.fromEntries(listingQueryOf(page(path), type)?.params ?? []);

describe("listing queries", () => {
  it("repeat the page's filters and sort in the API's words", () => {
    expect(params("/models?search=llama&sort=likes&pipeline_tag=text-generation&other=custom_code&other=4-bit")).toEqual({
      search: "llama",
      sort: "likes",
      pipeline_tag: "text-generation",
      filter: "custom_code,4-bit",
      limit: "100",
      direction: "-1",
    });
    expect(params("/models").sort).toBe("trendingScore");
    expect(params("/datasets?sort=modified", "dataset").sort).toBe("lastModified");
    // A sort the extension does not know is asked as trending: the cards it misses are checked on their own.
    expect(params("/models?sort=whatever").sort).toBe("trendingScore");
  });

  it("cover deeper pages by a longer list, up to the API's largest page", () => {
    expect(params("/models?p=2").limit).toBe("300");
    expect(listingQueryOf(page("/models?p=10"), "model")).toBeUndefined();
    expect(params("/models?p=-4").limit).toBe("100");
    expect(params("/models?p=abc").limit).toBe("100");
  });

  it("list a profile's repos by author, one call per type; search results and collections have none", () => {
    expect(params("/annot-org", "dataset")).toMatchObject({ author: "annot-org" });
    expect(listingQueryOf(page("/models"), "dataset")).toBeUndefined();
    expect(listingQueryOf(page("/search?q=bert"), "model")).toBeUndefined();
    expect(listingQueryOf(page("/collections/annot-org/reviewed-picks-65f0c0ffee"), "model")).toBeUndefined();
    expect(listingQueryOf(page("/%3Cscript%3E"), "model")).toBeUndefined();
  });

  it("give one cache key per page, whatever the order of its query", () => {
    const a = listingQueryOf(page("/models?search=x&sort=likes"), "model");
    const b = listingQueryOf(page("/models?sort=likes&search=x&utm=1"), "model");
    expect(a && b && listingKey(a) === listingKey(b)).toBe(true);
  });

  it("ask only for fields the Hub can expand, and keep hostile values inside the query", () => {
    for (const type of ["model", "dataset", "space"] as const) for (const field of LISTING_EXPAND[type]) expect(LIST_EXPANDABLE[type].has(field)).toBe(true);
    const query = listingQueryOf(page("/models?search=../../api/whoami-v2%23&author=a%2Fb"), "model");
    const url = new URL(listingUrl("https://huggingface.co", query ?? { type: "model", params: [] }));
    expect(url.pathname).toBe("/api/models");
    expect(url.searchParams.get("search")).toBe("../../api/whoami-v2#");
    expect(url.searchParams.getAll("expand[]")).toContain("siblings");
    expect(url.searchParams.getAll("expand[]")).not.toContain("securityRepoStatus");
  });
});

describe("listing answers", () => {
  it("become repo infos; an odd item is skipped, not the whole list", () => {
    const infos = parseListing([
      { _id: "1", id: "org/a", siblings: [{ rfilename: "model.safetensors" }], tags: ["custom_code"], config: { auto_map: { AutoModel: "m.M" } } },
      { _id: "2" },
      "not an item",
      { _id: "3", id: "org/b", cardData: { hf_oauth: true, hf_oauth_scopes: ["openid", "write-repos"] }, sdk: "docker" },
    ]);
    expect(infos.map((info) => info.id)).toEqual(["org/a", "org/b"]);
    expect(infos[0]?.siblingPaths).toEqual(["model.safetensors"]);
    expect(infos[0]?.autoMap).toEqual({ AutoModel: "m.M" });
    expect(infos[1]?.oauth?.scopes).toEqual(["openid", "write-repos"]);
  });

  it("keep only the file names cards read, and leave out a repo with too many of them", () => {
    const many = Array.from({ length: 2500 }, (_, index) => ({ rfilename: `shards/part-${index}.bin` }));
    const infos = parseListing([
      { id: "org/dataset", siblings: [{ rfilename: "README.md" }, { rfilename: "data/train-0.parquet" }, { rfilename: "dataset.py" }, { rfilename: "features.pkl" }] },
      { id: "org/huge", siblings: many },
    ]);
    expect(infos.map((info) => info.id)).toEqual(["org/dataset"]);
    expect(infos[0]?.siblingPaths).toEqual(["dataset.py", "features.pkl"]);
  });

  it("that are not a list are malformed", () => {
    expect(() => parseListing({ error: "Invalid sort" })).toThrow(/not a list/);
  });
});
