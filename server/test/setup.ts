// Property tests draw their cases from a fixed seed, so a run is repeatable and CI deterministic.
// FC_SEED=<n> explores other cases (a failure prints the seed and path that reproduce it).
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20_261_124) });
