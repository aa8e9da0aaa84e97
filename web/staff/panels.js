// The dashboard's modules of the first table, behind one dynamic import (dashboard.js):
// the bundle puts them in files of their own, so the small files that ask the API arrive
// and run first while these still load (index.html preloads both).
export { afterFirstTable, fillQuizPicker, fillUnitPickers, laterPanels, mainQuiz, refreshQuizNote, reloadAll, restoreFilters, savedQuiz } from './filters.js';
export { state } from './state.js';
export { buildUnits } from '../lib/units.js';
export { dropPending, setReportsVisible } from './sections.js';
export { rerenderAwareness } from './awareness.js';
