/*
 * recherche.js — filters the list of every document (recherche/) as one
 * types. The page works without it: the list is complete and the field
 * stays hidden. A document stays shown when its title, section, excerpt
 * or one of its headings holds every word typed, accents and case
 * ignored; the number shown is announced politely to screen readers.
 */
(function () {
	"use strict";
	var box = document.getElementById("pp_filtre");
	var field = document.getElementById("pp_filtre_champ");
	var list = document.getElementById("pp_documents");
	var count = document.getElementById("pp_filtre_compte");
	if (!box || !field || !list || !count) {
		return;
	}
	function fold(s) {
		return s.toLowerCase().normalize("NFD")
			.replace(/[\u0300-\u036f]/g, "")
			.replace(/\u0153/g, "oe").replace(/\u00e6/g, "ae")
			.replace(/[\u2019']/g, " ");
	}
	var items = list.querySelectorAll("li[data-recherche]");
	var texts = Array.prototype.map.call(items, function (li) {
		return fold(li.getAttribute("data-recherche"));
	});
	var timer = null;
	function update() {
		var words = fold(field.value).split(/\s+/).filter(Boolean);
		var shown = 0;
		Array.prototype.forEach.call(items, function (li, i) {
			var match = words.every(function (w) {
				return texts[i].indexOf(w) >= 0;
			});
			li.hidden = !match;
			if (match) {
				shown++;
			}
		});
		count.textContent = words.length === 0 ? "" :
			shown === 0 ? "Aucun document ne correspond." :
			shown + (shown > 1 ? " documents affichés" :
				" document affiché") + " sur " + items.length + ".";
	}
	box.hidden = false;
	field.addEventListener("input", function () {
		window.clearTimeout(timer);
		timer = window.setTimeout(update, 200);
	});
	if (field.value) {
		update();
	}
}());
