"""Word lists for the synthetic documents.

Written for this project. The lists are deliberately broad so that filler prose varies a lot
and the model cannot memorise it; facts use separate lists (names, codes, places) so that a
fact's value never appears in filler text by accident.
"""

FIRST_NAMES = """
Alma Anders Aria Arno Beatrix Benedikt Bianca Boris Carla Casimir Celia Cyrus Dagny Dario Delia
Dmitri Edith Elias Elin Emil Esme Ezra Fabian Farida Felix Freya Gideon Greta Gustav Hana Hector
Helga Ingrid Ivo Jasper Jovana Julian Kaia Karim Kira Lars Leona Linus Lorena Lucian Magnus Malin
Marek Mila Milo Nadia Nico Nora Odile Olaf Oriana Oskar Paloma Petra Pia Quentin Rafael Rania
Rasmus Rhea Rosa Rufus Sabine Selma Silas Sofia Stellan Sunniva Tamsin Teodor Thea Tobias Ursula
Valentin Vera Viggo Wanda Xenia Yara Yusuf Zelda Zoran Amara Bruno Clara Damian Elena Filip Ilse
Janek Katja Leopold Mirela Nils Otto Priya Ronja Soren Tilda Umar Vivian Wilhelm
""".split()

LAST_NAMES = """
Abernathy Achterberg Aldana Ambrose Arkwright Ballard Bexley Blackwood Brandt Calloway Carrow
Castellan Corbin Dalgaard Delacroix Drummond Eastwick Ellery Falkner Fenwick Fairweather Galloway
Garnier Gatling Halvorsen Hargreave Holloway Ibarra Ingram Jessup Kettering Kowalczyk Lachance
Lindqvist Lockhart Marchetti Mendes Merriweather Novak Oakhurst Okafor Pemberton Pettersen Quimby
Radcliffe Ravensworth Rosendahl Sandoval Selwyn Sinclair Stavros Strand Thackeray Thornquist
Underhill Valdez Vasquez Wainwright Westerberg Whitlock Winterbourne Yardley Zamora Zelinski
Brightwater Coldwell Dunmore Everly Foxley Greenhalgh Hawthorne Kingsley Larkspur Moreland
""".split()

ROLES = """
director treasurer archivist chief-engineer head-librarian quartermaster harbour-master
chief-surveyor site-manager lead-chemist curator auditor navigator chief-cartographer registrar
steward inspector coordinator custodian chairperson
""".split()

ORGS = """
Harbour Authority|Meridian Institute|Northgate Library|Saltmarsh Cooperative|Copperfield Mill|
Granite Bay Observatory|Ashford Water Board|Lantern Street Museum|Riverside Guild|Old Quarry Trust|
Hollow Pine Station|Bramble Hill Archive|Silverlake Foundry|Eastern Rail Company|Westmoor Academy|
Cobalt Research Centre|Juniper Valley Council|Stonebridge Hospital|Marigold Seed Bank|
Falcon Ridge Mine|Tidewater Shipping Office|Amber Coast Ferry Line|Kestrel Aviation Club|
Iron Gate Brewery|Moonstone Theatre|Sable River Dam|Thistle Lane Bakery|Pinecrest School|
Windward Lighthouse|Clearwater Laboratory
""".replace("\n", "").split("|")

CITIES = """
Arlenberg Brightmoor Caldera Dunhaven Eldwick Farrowgate Glenmere Harwick Islington-on-Sea
Jarrowby Kestrelford Lindenhall Marrowby Nettlecombe Oakmere Pellston Quarrington Rookhaven
Saltcombe Thornbury Umberleigh Valemont Wexmoor Yarrowfield Zennor Ashcombe Blythe Corriedale
Dovecote Emberley Fenhollow Grayhurst Hollowmere Ivybridge Juniper-Falls Kingsmead Larkhill
Mossley Northwick Orford Pennington Redwater Stillwater Tidewell Upperby Varden Westbury
""".split()

PLACE_ADJ = """
north south east west upper lower inner outer old new central eastern western northern southern
blue red green grey iron copper silver golden
""".split()

FACILITIES = """
vault archive gate depot warehouse cellar tower laboratory hangar workshop storeroom bunker
garage terminal greenhouse boathouse pavilion annex chapel library
""".split()

MATERIALS = """
copper wire|grain|timber|salt|lamp oil|coal|wool|rope|glass panes|iron bolts|rice|flour|
cotton|seed packets|paper reams|candles|bricks|tea|coffee beans|batteries
""".replace("\n", "").split("|")

UNITS = """
crates barrels sacks boxes pallets bundles cartons drums crates tons
""".split()

EVENTS = """
founding|annual meeting|spring inspection|grand opening|first expedition|merger vote|
harvest festival|final audit|board election|winter closure|relocation|centenary dinner|
safety review|roof repair|public lecture
""".replace("\n", "").split("|")

PROJECTS = """
Lighthouse|Blue Heron|Granite|Northern Star|Willow|Red Kite|Sandstone|Aurora|Copper Beech|
Silver Birch|Falcon|Tidewater|Ember|Horizon|Meadowlark|Obsidian|Juniper|Pelican|Quartz|Cedar
""".replace("\n", "").split("|")

PASSWORD_WORDS = """
marmalade thunderbolt periwinkle saxophone lighthouse buttercup quicksilver dragonfly
pomegranate snowdrift tangerine whirlwind candlewick riverstone moonbeam starling cinnamon
bluebell firefly hazelnut
""".split()

MONTHS = """
January February March April May June July August September October November December
""".split()

VEHICLES = "ship|barge|train|airship|coach|ferry|tram|lorry".split("|")

# ---- filler vocabulary (never used inside fact values) ----

TOPICS = """
weather river market harvest bridge festival library orchard canal railway council meadow
harbour workshop forest garden village mill schoolhouse road hillside valley lake tide season
fleet timetable ledger committee survey lantern chimney quarry pasture clocktower footpath
""".split()

ADJECTIVES = """
quiet busy ancient modern narrow wide gentle steady careful bright dim humble grand familiar
distant local seasonal patient reliable curious sturdy weathered crowded peaceful orderly
remote pleasant unusual ordinary thorough modest lively solemn
""".split()

VERBS_PAST = """
inspected repaired described measured recorded visited improved discussed painted cleaned
crossed surveyed planned widened moved reviewed restored mapped counted welcomed
""".split()

VERBS_PRESENT = """
follows crosses supports surrounds connects overlooks shelters feeds borders reflects
""".split()

PEOPLE_GROUPS = """
farmers|travellers|the committee|local children|the rangers|visiting scholars|the clerks|
the fishermen|shopkeepers|the volunteers|the engineers|older residents|the porters|
students|the night watch|the gardeners
""".replace("\n", "").split("|")

TIMES = """
in the early morning|after the spring rains|during the long winter|every second week|
at the end of each season|before the market opens|late in the evening|on most weekdays|
in the dry months|after the harvest|during the festival week|at first light
""".replace("\n", "").split("|")

CONNECTIVES = """
However,|Meanwhile,|In addition,|As a result,|For this reason,|Later,|At the same time,|
In most years,|According to the records,|By contrast,|Even so,|Afterwards,
""".replace("\n", "").split("|")

SECTION_WORDS = """
Overview|Background|Operations|Maintenance|Records|Inventory|Staff|Schedule|Notes|History|
Procedures|Summary|Logistics|Observations|Facilities|Appendix|Budget|Safety|Contacts|Outlook
""".replace("\n", "").split("|")
