export {
  runRecipe,
  recipeRecord,
  writeRecipeRecord,
  recipeFolder,
  formatJson,
  type RecipeRecord,
  type RecipeRun,
  type RecordOptions,
} from './record.js';
export { collectEnvironment, sourceCommit, type RunEnvironment } from './environment.js';
export { renderReport } from './report-html.js';
export {
  renderResultsTable,
  updateReadmeResults,
  checkResultRecord,
  RESULTS_BEGIN,
  RESULTS_END,
  type ResultsTableRow,
} from './results-table.js';
export { verdictOf, SMOKE_RUN, type Verdict } from './verdict.js';
