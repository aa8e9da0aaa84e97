// The filter form as the panels read it: filters.js drives it (restores, reloads), and
// panels below it (activities) read it here, so that no panel imports filters.js back.
import { $, showMsg } from '../lib/dom.js';

// filters reads and checks the filter form; null (with a message) when invalid.
export function filters() {
  var f = { unit: $('unit').value, quiz: $('quiz').value, from: $('from').value.trim(), to: $('to').value.trim(), groupBy: $('group-by').value };
  var month = /^\d{4}-(0[1-9]|1[0-2])$/;
  var msg = '';
  if ((f.from && !month.test(f.from)) || (f.to && !month.test(f.to))) msg = 'Tháng phải có dạng năm-tháng, ví dụ 2026-03.';
  else if (f.from && f.to && f.from > f.to) msg = '“Từ tháng” phải trước hoặc bằng “Đến tháng”.';
  showMsg($('filters-error'), msg);
  return msg ? null : f;
}
