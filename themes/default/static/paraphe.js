/*
 * paraphe.js — the only script of the default theme, and the site works
 * without it. A status banner states the dates of a text (data-debut: it
 * takes effect; data-suivante: the next version takes effect; data-fin:
 * the convention ends); the page shows the state at the build's reference
 * date. This recomputes the state with the reader's date, so a static page
 * never goes stale.
 */
(function () {
	"use strict";
	var now = new Date();
	function two(n) { return (n < 10 ? "0" : "") + n; }
	var today = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" +
		two(now.getDate());
	var banners = document.querySelectorAll(".bandeau[data-debut]");
	Array.prototype.forEach.call(banners, function (b) {
		var start = b.getAttribute("data-debut");
		var next = b.getAttribute("data-suivante");
		var end = b.getAttribute("data-fin");
		var state = today < start ? "a-venir" :
			next && today >= next ? "remplacee" :
			end && today > end ? "echue" : "en-vigueur";
		var parts = b.querySelectorAll("[data-etat]");
		Array.prototype.forEach.call(parts, function (p) {
			p.hidden = p.getAttribute("data-etat") !== state;
		});
		b.className = b.className.replace(/\bbandeau-[a-z-]+/,
			"bandeau-" + state);
	});
	/* the status of a convention in a list: from its first to its last
	 * day, both included */
	var statuses = document.querySelectorAll(".statut[data-debut]");
	Array.prototype.forEach.call(statuses, function (s) {
		var start = s.getAttribute("data-debut");
		var end = s.getAttribute("data-fin-inclus");
		var state = today < start ? "a-venir" :
			end && today > end ? "echue" : "en-vigueur";
		var parts = s.querySelectorAll("[data-etat]");
		Array.prototype.forEach.call(parts, function (p) {
			p.hidden = p.getAttribute("data-etat") !== state;
		});
	});
}());
