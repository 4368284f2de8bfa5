// Placeholder: the workforce pages are being built.
export function ForecastPage() {
  return null;
}
