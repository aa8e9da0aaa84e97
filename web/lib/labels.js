// Labels the pages share. TOPICS, LIKERT_LABELS and QUESTION_KINDS mirror the server's
// lists (internal/quiz Topics, TopicLabels, LikertLabels and the question kinds' rules);
// internal/webtest/labels_test.go checks they stay equal. Keep both lists in JSON syntax
// (double quotes, no trailing comma): the test reads them as JSON.

// TOPICS are the plan's content sections (II.1 a–h; Vietnamese lists skip "f"), the
// topics of scored questions and activities, in order: [code, label].
export const TOPICS = [
  ["a", "Nội dung cốt lõi của Nghị quyết 58"],
  ["b", "Chủ trương, đường lối của Đảng, Chính phủ"],
  ["c", "Ý nghĩa Chương trình hành động của Chính phủ"],
  ["d", "Mục tiêu, nhiệm vụ, giải pháp"],
  ["e", "Xây dựng Đảng và hệ thống chính trị"],
  ["g", "Truyền thống, tiềm năng, tứ giác phát triển"],
  ["h", "Kết quả thực hiện"]
];

// LIKERT_LABELS name the likert scale's values 1–5, in order.
export const LIKERT_LABELS = [
  "Rất không đồng ý",
  "Không đồng ý",
  "Phân vân",
  "Đồng ý",
  "Rất đồng ý"
];

// QUESTION_KINDS are the question kinds in order with what the screens need of each
// (internal/quiz kinds.go): its label; the answer form ("options": optionIds, "value":
// a scale's value, "text": free text); whether several options may be picked; whether
// it is scored; whether a paper sheet collects it; and, for the pages only, whether
// it is a statement judged true or false (the review says "Câu này Đúng").
export const QUESTION_KINDS = [
  {"kind": "single", "label": "Một đáp án", "answer": "options", "multiple": false, "scored": true, "paper": true},
  {"kind": "multiple", "label": "Nhiều đáp án", "answer": "options", "multiple": true, "scored": true, "paper": true},
  {"kind": "truefalse", "label": "Đúng/sai", "answer": "options", "multiple": false, "scored": true, "paper": true, "statement": true},
  {"kind": "likert", "label": "Thang 5 mức", "answer": "value", "multiple": false, "scored": false, "paper": true},
  {"kind": "text", "label": "Tự luận", "answer": "text", "multiple": false, "scored": false, "paper": false}
];

// questionKind returns a question kind's entry of QUESTION_KINDS (an empty entry for an
// unknown kind, so a screen treats it as options to pick).
var KIND_BY_NAME = Object.fromEntries(QUESTION_KINDS.map(function (k) { return [k.kind, k]; }));
export function questionKind(kind) { return KIND_BY_NAME[kind] || { kind: kind, answer: 'options' }; }

// SCALE_VALUES are a scale question's values as option ids: "1"…"5".
export const SCALE_VALUES = LIKERT_LABELS.map(function (_, i) { return String(i + 1); });

// TOPIC_CODES are the topics' codes in order; TOPIC_LABEL maps a code to its label.
export const TOPIC_CODES = TOPICS.map(function (t) { return t[0]; });
export const TOPIC_LABEL = Object.fromEntries(TOPICS);

// likertLabel names a likert value (1–5, number or string); "" when out of range.
export function likertLabel(v) { return /^[1-5]$/.test(String(v)) ? LIKERT_LABELS[v - 1] : ''; }

// KIND_LABEL names quiz kinds.
export const KIND_LABEL = { quiz: 'Trắc nghiệm', survey: 'Khảo sát', contest: 'Cuộc thi' };
// QUIZ_STATUS_LABEL names a quiz's status on the staff pages.
export const QUIZ_STATUS_LABEL = { published: 'đã công bố', closed: 'đã đóng', draft: 'bản nháp' };
// ROLE_LABEL names staff roles.
export const ROLE_LABEL = { admin: 'Quản trị viên', officer: 'Cán bộ văn hóa – xã hội', organizer: 'Ban tổ chức', collector: 'Người nhập phiếu' };
