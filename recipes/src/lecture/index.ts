export { LECTURE_SLIDES, LECTURE_SOURCE, LECTURE_TITLE, lectureRecipes, type LectureSlide } from './slides.js';
export { embedFigure, type EmbeddedFigure } from './embed.js';
export { readLectureEntries, readLectureEntry, shippedResultsDir, type LectureEntry } from './records.js';
export { renderLecturePage, type LecturePageOptions } from './page.js';
export { runLectureRecipes, lectureProgressLine, type LectureProgress, type LectureRunOptions, type LectureRunOutcome } from './run.js';
