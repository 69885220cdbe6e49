-- Les hooks par défaut de paraphe : la connaissance des conventions
-- territoriales globales (scripts/ctg/). Un site qui n'en veut pas remplace
-- ce fichier par un scripts/ctg.lua vide ; un site qui veut autre chose
-- ajoute ses propres scripts/*.lua, exécutés dans l'ordre de leur nom.
local ctg = require "ctg"

function on_site(site)
	ctg.on_site(site)
end

function on_page(page)
	ctg.on_page(page)
end
