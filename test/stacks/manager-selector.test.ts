import { describe, expect, test } from "vitest";
import { matchesSelector, parseSelector } from "../../stacks/manager/selector.js";

describe("label selectors", () => {
  test("parses equality and inequality requirements joined by commas", () => {
    expect(parseSelector("team=shop, tier!=gold,env==qa")).toEqual([
      { key: "team", operator: "=", value: "shop" },
      { key: "tier", operator: "!=", value: "gold" },
      { key: "env", operator: "=", value: "qa" },
    ]);
  });

  test.each([
    ["team", 'selector requirement "team" must be key=value or key!=value'],
    ["team in (a,b)", 'selector requirement "team in (a" must be key=value or key!=value'],
  ])("rejects %j", (selector, message) => {
    expect(() => parseSelector(selector)).toThrow(message);
  });

  test.each<[string, Record<string, string>, boolean]>([
    ["team=shop", { team: "shop" }, true],
    ["team=shop", { team: "blog" }, false],
    ["team=shop", {}, false],
    ["tier!=gold", {}, true],
    ["tier!=gold", { tier: "gold" }, false],
    ["team=shop,tier!=gold", { team: "shop", tier: "silver" }, true],
    ["", { any: "thing" }, true],
  ])("%j matches %j: %s", (selector, labels, expected) => {
    expect(matchesSelector(labels, parseSelector(selector))).toBe(expected);
  });
});
