import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../src/client/backoff.js";

const defaults = { min: 1000, max: 5000, jitter: 0.5 };

describe("backoffDelay (PROTOCOL.md 2.14)", () => {
  it("follows the reference formula: even floor(r*10) subtracts the deviation, odd adds it", () => {
    expect(backoffDelay(0, defaults, () => 0.25)).toBe(875); // 1000 - floor(0.25*0.5*1000)
    expect(backoffDelay(0, defaults, () => 0.35)).toBe(1175); // floor(3.5) odd: 1000 + 175
    expect(backoffDelay(1, defaults, () => 0.25)).toBe(1750);
    expect(backoffDelay(2, defaults, () => 0.25)).toBe(3500);
  });

  it("caps at max and truncates to an integer", () => {
    expect(backoffDelay(3, defaults, () => 0.25)).toBe(5000);
    expect(backoffDelay(60, defaults, () => 0.99)).toBe(5000);
    expect(backoffDelay(0, { min: 333, max: 5000, jitter: 0.5 }, () => 0.15)).toBe(357); // floor(1.5) odd: 333 + floor(24.975)
  });

  it("without jitter doubles exactly and never calls the random source", () => {
    const never = (): number => {
      throw new Error("random called");
    };
    expect([0, 1, 2].map((n) => backoffDelay(n, { min: 100, max: 1000, jitter: 0 }, never))).toEqual([100, 200, 400]);
  });

  it("stays within base ± jitter·base for any random value", () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let i = 0; i < 500; i++) {
      const attempt = i % 3;
      const base = 1000 * 2 ** attempt;
      const d = backoffDelay(attempt, defaults, random);
      expect(d).toBeGreaterThanOrEqual(base / 2);
      expect(d).toBeLessThanOrEqual(Math.min(base * 1.5, 5000));
    }
  });
});
