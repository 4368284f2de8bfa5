// Tables of the workforce module (placeholder; see workforce.store.ts).
export {};
