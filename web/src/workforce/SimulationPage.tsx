// Placeholder: the workforce pages are being built.
export function SimulationPage() {
  return null;
}
