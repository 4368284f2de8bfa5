// @hoorn/sdk: the client of Hoorn's visitor API (placeholder; being written).
export {};
