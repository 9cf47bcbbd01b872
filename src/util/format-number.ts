/**
 * Numbers as `Intl.NumberFormat('en-US')` writes them (`1,234,567`, `2.68`), without Intl: building the
 * first `Intl.NumberFormat` of a process loads the locale data, about 20 ms, which would land in the
 * lint time of the file that reports first. The output is the same: ICU rounds the shortest decimal form
 * of the number (`String(1.005)` is `1.005`, so two decimals give `1.01`, where `toFixed` gives `1.00`)
 * half away from zero, and keeps the sign of a negative number that rounds to zero (`-0`).
 */

/** An integer with thousands separators, any other number with at most two decimals: `1,234`, `2.5`, `0.13`. */
export function formatNumber(value: number): string {
  return formatDecimal(value, 0, Number.isInteger(value) ? 0 : 2);
}

/** Exactly two decimals, with thousands separators: `300,150.00`, `0.30`. */
export function formatCents(value: number): string {
  return formatDecimal(value, 2, 2);
}

function formatDecimal(value: number, minFraction: number, maxFraction: number): string {
  if (Number.isNaN(value)) return 'NaN';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  if (!Number.isFinite(value)) return `${sign}∞`;
  // The shortest decimal form: `123.45`, `1.5e+21`, `1e-7`.
  const [, whole = '', fraction = '', exponent = '0'] = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(Math.abs(value)))!;
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  let integerDigits = point <= 0 ? '0' : point >= digits.length ? digits + '0'.repeat(point - digits.length) : digits.slice(0, point);
  let fractionDigits = point <= 0 ? '0'.repeat(-point) + digits : point >= digits.length ? '' : digits.slice(point);
  if (fractionDigits.length > maxFraction) {
    const roundsUp = fractionDigits.charCodeAt(maxFraction) >= 0x35; // '5'
    fractionDigits = fractionDigits.slice(0, maxFraction);
    if (roundsUp) {
      const incremented = increment(integerDigits + fractionDigits);
      integerDigits = incremented.slice(0, incremented.length - maxFraction);
      fractionDigits = incremented.slice(incremented.length - maxFraction);
    }
  }
  let end = fractionDigits.length;
  while (end > minFraction && fractionDigits.charCodeAt(end - 1) === 0x30) end -= 1; // trailing '0'
  fractionDigits = fractionDigits.slice(0, end).padEnd(minFraction, '0');
  integerDigits = integerDigits.replace(/^0+(?=\d)/, '');
  const grouped = integerDigits.replace(/\B(?=(?:\d{3})+$)/g, ',');
  return `${sign}${grouped}${fractionDigits ? `.${fractionDigits}` : ''}`;
}

/** A string of decimal digits plus one: `'0999'` → `'1000'`, `'99'` → `'100'`. */
function increment(digits: string): string {
  let at = digits.length - 1;
  while (at >= 0 && digits[at] === '9') at -= 1;
  if (at < 0) return `1${'0'.repeat(digits.length)}`;
  return digits.slice(0, at) + String(Number(digits[at]) + 1) + '0'.repeat(digits.length - at - 1);
}
