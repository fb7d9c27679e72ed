/**
 * Registered names → the types behind them, so that `kit.createModel('seq2seq/translator')` is a `Translator` and
 * `kit.loadDataset('datasets/mnist')` a `SupervisedData` without a type argument. Both maps start empty; a plugin
 * adds its names by declaration merging, in the module an application imports the plugin from:
 *
 * ```ts
 * declare module '@nnkit/core' {
 *   interface NnkitModels { 'mine/linear': LinearModel }
 *   interface NnkitDatasets { 'mine/points': SupervisedData }
 * }
 * ```
 *
 * A name no loaded plugin declares still works: `createModel<M>(key)` and `loadDataset<D>(key)` take the type as
 * before (default `unknown`). The maps only type; what is registered at run time is decided by the plugins loaded.
 */
// Empty on purpose: plugins merge their names in (an interface, not a type alias, so that merging works).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NnkitModels {}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NnkitDatasets {}
