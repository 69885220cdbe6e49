-- ctg.texte: folding French text to compare it.
local t = require "testlib"
local texte = require "ctg.texte"

t.test("fold", function()
	t.eq(texte.fold("Équipements d’accès"), "equipements d'acces")
	t.eq(texte.fold("Cœur ÆON À\u{a0}côté\u{202f}: ‘x’"), "coeur aeon a cote : 'x'")
	-- what FOLD lacks stays as it is, lowercased when ASCII
	t.eq(texte.fold("Øre « ÿ » ÑA"), "Øre « y » Ña")
	t.eq(texte.fold(nil), "")
	t.eq(texte.fold(12), "12")
	-- bytes that are not UTF-8 stay as they are
	t.eq(texte.fold("a\xc3\xc3\xa9\x80B"), "a\xc3\xc3\xa9\x80b")
	t.eq(texte.fold("\xe2\x80\x99\xe2"), "'\xe2")
end)

return t.done()
