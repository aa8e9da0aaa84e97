// The screens after the start screen (the questions, the submit and its result, a
// contest's public results), loaded once the start screen is up or when first needed.
// They are not preloaded by index.html: on 3G every byte and request before the start
// screen delays it, so the start screen asks only for what it shows. The service worker
// keeps them for offline use (sw.js, SHELL).
var later = null;

// screens loads the later screens' modules once and resolves with them.
export function screens() {
  return later || (later = Promise.all([import('./quiz.js'), import('./submit.js'), import('./contest.js'), import('./result.js')])
    .then(function (m) { return { quiz: m[0], submit: m[1], contest: m[2], result: m[3] }; }, function (err) {
      later = null; // a later call tries again (the network may be back)
      throw err;
    }));
}
