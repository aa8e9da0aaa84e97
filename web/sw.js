// The resident page's service worker (scope /): it keeps the page's shell (HTML, CSS,
// the bundle of its modules, icon) so that the page opens without a network and says
// so in Vietnamese.
// It never answers API calls (/v1/…), staff pages or anything but GET: those go to the
// network as if it were not there, so a submit that fails offline is kept and resent by
// the page itself (resident/submit.js), exactly as without a service worker.
// v2: the page loads its modules as one bundle (infra/webbundle); activating drops v1.
var CACHE = 'nq58-shell-v2';
var SHELL = ['./', 'app.css', 'favicon.svg', 'resident/bundle.js'];

var HOME = new URL('./', self.location).href;

var OFFLINE_PAGE = '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Không có kết nối mạng</title>' +
  '<style>body{font-family:system-ui,sans-serif;font-size:18px;line-height:1.5;margin:0;padding:24px;color:#111}' +
  'h1{font-size:1.3rem;color:#9b1c1c}</style></head><body><main><h1>Không có kết nối mạng</h1>' +
  '<p>Điện thoại đang không kết nối được Internet. Vui lòng bật dữ liệu di động hoặc Wi-Fi rồi tải lại trang.</p>' +
  '<p>Nếu bạn đang làm bài, câu trả lời vẫn được lưu trên máy và sẽ được gửi khi có mạng.</p></main></body></html>';

self.addEventListener('install', function (ev) {
  ev.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (ev) {
  ev.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// shell tells whether a request is the resident page's own file (never the API).
function shell(req) {
  if (req.method !== 'GET') return false;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return false;
  var p = url.pathname;
  if (p.indexOf('/v1/') === 0 || p.indexOf('/local/') === 0 || p.indexOf('/staff/') === 0) return false;
  return req.mode === 'navigate' || /\.(js|css|svg)$/.test(p);
}

// Network first (the HTTP cache and ETags keep it cheap), the kept shell when the
// network is gone, and for a page never kept the offline notice.
self.addEventListener('fetch', function (ev) {
  var req = ev.request;
  if (!shell(req)) return;
  ev.respondWith(fetch(req).then(function (res) {
    // The page itself is kept under one key whatever its ?unit= or ?quiz=.
    var key = req.mode === 'navigate' ? (new URL(req.url).pathname === '/' ? HOME : null) : req;
    if (res.ok && key) {
      var copy = res.clone();
      caches.open(CACHE).then(function (c) { return c.put(key, copy); });
    }
    return res;
  }, function () {
    return caches.match(req.mode === 'navigate' ? HOME : req).then(function (hit) {
      if (hit) return hit;
      if (req.mode === 'navigate') {
        return new Response(OFFLINE_PAGE, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
      }
      return Response.error();
    });
  }));
});
