// Tables are added here as the module grows.
export {};
