// The panels below the first table (topics, questions, trend, change, methods, sample
// size, survey, activities, downloads, staff accounts, setup, quizzes and surveys): loaded with one dynamic import
// once the first table is asked for, so that on a slow line they do not hold it back
// (filters.js laterPanels).
export { renderTopics } from './topics.js';
export { renderQuestions } from './questions.js';
export { renderTrend } from './trend.js';
export { renderSurvey } from './survey.js';
export { reloadChange, refreshChangeBases, loadMethods, loadSampleSizes } from './evaluation.js';
export { fillActivityForm, loadActivities } from './activities.js';
export { updateAnnualLinks } from './downloads.js';
export { fillStaffPanel } from './staffadmin.js';
export { fillSetup } from './setup.js';
export { fillAuthoring } from './authoring.js';
