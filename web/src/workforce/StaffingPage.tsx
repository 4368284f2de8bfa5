// Placeholder: the workforce pages are being built.
export function StaffingPage() {
  return null;
}
