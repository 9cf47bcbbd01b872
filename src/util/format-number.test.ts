import { describe, expect, it } from 'vitest';
import { formatCents, formatNumber } from './format-number.js';

// The oracle: what the plugin printed with Intl before (and what en-US readers expect).
const INTEGER = new Intl.NumberFormat('en-US');
const DECIMAL = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const CENTS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const intl = (value: number): string => (Number.isInteger(value) ? INTEGER : DECIMAL).format(value);

const EDGES = [
  0, -0, 1, -1, 0.5, 1.5, 2.5, 0.125, 0.145, 1.005, 1.115, 2.675, 0.995, 9.995, 99.995, 999.995, 0.005, 0.0049, -0.001, -1.005,
  1e-7, 5e-324, 123456789.125, 1234567.891, 999999.995, 2 ** 53 + 2, 1e21, 1.5e21, 1.7976931348623157e308, -1234567, 3000, 0.30015, 300_150,
  Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
];

/** A fixed spread of magnitudes (1e-12 to 1e17), fractions and signs: the same 15,000 numbers every run. */
function spread(): number[] {
  const values: number[] = [];
  for (let i = 0; i < 5_000; i++) {
    const value = ((i * 7_919) % 100_003) / 997 * 10 ** ((i % 30) - 12) * (i % 5 === 0 ? -1 : 1);
    values.push(value, Math.round(value * 1000) / 1000, Math.round(value));
  }
  return values;
}

describe('formatNumber', () => {
  it('writes what Intl.NumberFormat en-US writes, for edge values and a spread of magnitudes', () => {
    for (const value of [...EDGES, ...spread()]) expect([value, formatNumber(value)]).toEqual([value, intl(value)]);
  });

  it('groups thousands and rounds half away from zero on the shortest decimal form', () => {
    expect(formatNumber(1_234_567)).toBe('1,234,567');
    expect(formatNumber(1.005)).toBe('1.01');
    expect(formatNumber(9.995)).toBe('10');
    expect(formatNumber(-0.001)).toBe('-0');
  });
});

describe('formatCents', () => {
  it('writes what Intl.NumberFormat en-US with two decimals writes', () => {
    for (const value of [...EDGES, ...spread()]) expect([value, formatCents(value)]).toEqual([value, CENTS.format(value)]);
    expect(formatCents(300_150)).toBe('300,150.00');
    expect(formatCents(0.3)).toBe('0.30');
  });
});
