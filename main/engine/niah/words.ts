/**
 * Word lists of the project's own probe text (filler prose and needles), written for KV Lens.
 *
 * Filler words and needle words are disjoint on purpose: a needle's answer (a code, a number, a
 * person, a town) must never occur in the filler by accident, or a probe could be answered from
 * the wrong place and the retrieval-head scores would credit the wrong tokens.
 */

const list = (s: string): readonly string[] => s.trim().split(/\s+/);

export const FILLER = {
  adjectives: list(`
    quiet narrow broad steep gentle crowded empty distant familiar careful patient busy modest
    ancient recent shallow deep pale bright dusty polished weathered sturdy fragile generous
    humble curious orderly noisy calm sudden steady ordinary unusual cheerful serious tidy`),
  nouns: list(`
    river meadow bridge market harbour valley orchard hillside footpath village square mill
    garden courtyard workshop fountain hedge pasture canal station warehouse lantern ferry
    staircase chimney balcony hallway library notebook letter map compass almanac ledger
    weather season harvest festival journey evening morning afternoon committee council`),
  groups: list(`
    farmers travellers neighbours students clerks sailors merchants gardeners visitors
    historians carpenters teachers walkers painters musicians weavers bakers fishermen`),
  verbsPast: list(`
    repaired described visited measured painted cleaned recorded admired rebuilt studied
    mapped discussed photographed restored inspected sketched widened planted`),
  verbsPresent: list(`
    borders overlooks follows crosses shelters surrounds faces joins outlasts resembles`),
  times: [
    'yesterday',
    'last spring',
    'every autumn',
    'after the rain',
    'in the old days',
    'before dawn',
    'at noon',
    'during the winter',
    'on market days',
    'late in the evening',
    'each summer',
    'after the harvest',
  ] as readonly string[],
  connectives: list(`
    Meanwhile However Besides Naturally Occasionally Still Afterwards Usually`),
};

export const NEEDLE = {
  firstNames: list(`
    Adela Bartosz Cosima Desmond Elowen Fintan Giselle Horatio Imogen Jericho Kalinda Leander
    Marisol Nikolai Ottilie Percival Quilla Ronan Saskia Tobiah Ulrike Valerian Winifred Xavier
    Yvette Zacharias Annika Benedek Corentin Dorothea`),
  lastNames: list(`
    Ashdown Birchall Cavendish Dunmore Eskildsen Fairbairn Grimsby Hollins Ivanova Jablonski
    Kearney Lindgren Montague Northcott Oyelaran Prescott Quayle Rutherford Sorensen Tremaine
    Uttley Vanterpool Whitcombe Yelverton Zabrowski`),
  roles: list(`
    treasurer archivist surveyor registrar librarian quartermaster curator auditor steward
    inspector chairperson navigator`),
  orgs: `Harrow Valley Trust|Copper Lane Guild|Northmoor Society|Glassworks Cooperative|
    Tidemark Rowing Club|Foxglove Garden Circle|Lowfield Choir|Beacon Hill Observatory|
    Quarry Road Theatre|Saltpan Heritage Board`
    .split('|')
    .map((s) => s.trim()),
  towns: list(`
    Ambleford Brackenridge Cindermoor Dovercliff Elmsworth Fallowmere Gorsebrook Hazelby
    Ironbridge-on-Tew Kittering Lochmere Mapplewick Nethercombe Ottersby Pebbleton Ravenholt
    Sedgefield Tamberlow Wickhaven Yarlington`),
  places: list(`
    boathouse vault archive depot greenhouse signal-box chapel granary observatory stable
    pumphouse gatehouse`).map((s) => s.replace('-', ' ')),
  placeAdjectives: list(`north south east west upper lower old new inner outer`),
  items: list(`lanterns barrels crates ropes blankets sacks bottles candles spades oars`),
};
