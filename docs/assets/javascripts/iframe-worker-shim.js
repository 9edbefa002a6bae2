/*
 * Web Worker stand-in for pages opened from file:// (written for this project).
 *
 * Browsers refuse `new Worker(url)` on file:// pages, which leaves Material's search dead in an
 * offline copy of the site. Material's `offline` plugin would load a shim from unpkg.com; this
 * file replaces it (the plugin skips its own when a polyfill named "iframe-worker" is present),
 * so no request leaves the machine. The worker script runs in a hidden same-origin iframe:
 * `postMessage` inside it is redirected to this object, and messages to the worker are
 * dispatched as `message` events on the iframe's window. On http(s) nothing is replaced.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:" || typeof EventTarget !== "function") return;

  function loadScript(doc, src) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = src;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("Couldn't load worker script " + src)); };
      (doc.head || doc.documentElement).appendChild(script);
    });
  }

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this._pending = [];
      this._ready = false;

      var self = this;
      var src = new URL(String(url), location.href).href;
      var iframe = document.createElement("iframe");
      iframe.hidden = true;
      iframe.tabIndex = -1;
      iframe.title = "search worker";
      iframe.setAttribute("aria-hidden", "true");
      (document.body || document.documentElement).appendChild(iframe);
      this._iframe = iframe;

      // The worker's global scope: what a worker script calls as bare names.
      var scope = iframe.contentWindow;
      scope.postMessage = function (data) {
        setTimeout(function () { self._emit("message", structuredClone(data)); }, 0);
      };
      scope.importScripts = function () {
        var urls = Array.prototype.slice.call(arguments);
        return urls.reduce(function (done, next) {
          return done.then(function () {
            return loadScript(scope.document, new URL(next, src).href);
          });
        }, Promise.resolve());
      };
      scope.close = function () { self.terminate(); };
      scope.addEventListener("error", function (ev) { self._emit("error", ev.error || ev.message); });

      loadScript(scope.document, src).then(
        function () {
          self._ready = true;
          self._pending.splice(0).forEach(function (data) { self._deliver(data); });
        },
        function (err) { self._emit("error", err); }
      );
    }

    postMessage(data) {
      data = structuredClone(data);
      if (this._ready) this._deliver(data);
      else this._pending.push(data);
    }

    terminate() {
      if (this._iframe) this._iframe.remove();
      this._iframe = null;
      this._ready = false;
    }

    _deliver(data) {
      var scope = this._iframe && this._iframe.contentWindow;
      if (!scope) return;
      setTimeout(function () {
        scope.dispatchEvent(new scope.MessageEvent("message", { data: data }));
      }, 0);
    }

    _emit(type, payload) {
      var ev = type === "message"
        ? new MessageEvent("message", { data: payload })
        : new ErrorEvent("error", { error: payload, message: String(payload) });
      this.dispatchEvent(ev);
      var handler = type === "message" ? this.onmessage : this.onerror;
      if (typeof handler === "function") handler.call(this, ev);
    }
  }

  // Material's search worker looks for `IFrameWorker` on its parent to resolve script paths.
  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
