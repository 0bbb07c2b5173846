/*
 * Word lists for the demo library. Names, titles and publishers are invented (or long in the
 * public domain, for the classics), so a demo can be shown and shipped without rights questions.
 */

export interface Person {
  surname: string;
  forename: string;
  /** Life dates for 100 $d, when a catalogue would have them. */
  dates?: string;
  /** ASCII form used for cutters, for names in other scripts or with diacritics. */
  roman?: string;
}

export const PATRON_FORENAMES = [
  'Alex', 'Amara', 'Ana', 'Aoife', 'Ben', 'Björn', 'Chloé', 'Chidi', 'Dana', 'Diego', 'Élodie',
  'Emma', 'Farah', 'Grace', 'Hannah', 'Hiroshi', 'Ines', 'Isaac', 'Jamal', 'José', 'Julia', 'Kai',
  'Karin', 'Leila', 'Liam', 'Lucía', 'Malik', 'Maya', 'Mei', 'Mohammed', 'Nadia', 'Noah', 'Olga',
  'Omar', 'Priya', 'Rafael', 'Rosa', 'Sam', 'Sofia', 'Søren', 'Tariq', 'Thu', 'Tomás', 'Uma',
  'Viktor', 'Wen', 'Yara', 'Zoë', 'Zofia', 'Oskar',
] as const;

export const PATRON_SURNAMES = [
  'Adeyemi', 'Alvarez', 'Andersen', 'Baker', 'Bergström', 'Brennan', 'Chen', 'Costa', 'Dąbrowski',
  'Dubois', 'Eriksen', 'Fernández', 'Fischer', 'García', 'Gómez', 'Haddad', 'Hughes', 'Ivanova',
  'Jensen', 'Kaur', 'Kim', 'Kowalczyk', 'Larsen', 'Lefèvre', 'Lopez', 'MacDonald', 'Mbeki',
  'Müller', 'Nakamura', 'Nguyễn', "O'Brien", 'Okafor', 'Olsen', 'Park', 'Patel', 'Pérez', 'Quinn',
  'Rossi', 'Santos', 'Schmidt', 'Singh', 'Svoboda', 'Tanaka', 'Thompson', 'Torres', 'Walsh',
  'Weber', 'Williams', 'Yilmaz', 'Zhang',
] as const;

export const AUTHORS: Person[] = [
  { surname: 'Whitfield', forename: 'Eleanor', dates: '1961-' },
  { surname: 'Okafor', forename: 'Chinedu' },
  { surname: 'Patel', forename: 'Anjali', dates: '1978-' },
  { surname: 'Johansson', forename: 'Erik' },
  { surname: 'Kowalski', forename: 'Adam', dates: '1955-' },
  { surname: 'Tanaka', forename: 'Yuki' },
  { surname: "O'Connor", forename: 'Siobhan' },
  { surname: 'MacLeod', forename: 'Fiona', dates: '1949-' },
  { surname: 'Smith', forename: 'Marcus' },
  { surname: 'Park', forename: 'Min-jun' },
  { surname: 'Rossi', forename: 'Giulia', dates: '1982-' },
  { surname: 'Fischer', forename: 'Anna' },
  { surname: 'Moreau', forename: 'Julien' },
  { surname: 'Silva', forename: 'Beatriz', dates: '1970-' },
  { surname: 'Novak', forename: 'Petra' },
  { surname: 'Ahmed', forename: 'Yusuf' },
  { surname: 'Lindqvist', forename: 'Maja' },
  { surname: 'Adeyemi', forename: 'Tolu', dates: '1988-' },
  { surname: 'Bauer', forename: 'Felix' },
  { surname: 'Castillo', forename: 'Rafael' },
  { surname: 'Dubois', forename: 'Claire', dates: '1966-' },
  { surname: 'Hale', forename: 'Jonathan' },
  { surname: 'Reyes', forename: 'Camila' },
  { surname: 'Grant', forename: 'Theodore', dates: '1940-2015' },
  { surname: 'Ellison', forename: 'Ruth' },
  { surname: 'Parker', forename: 'Nora' },
  { surname: 'Vance', forename: 'Oliver' },
  { surname: 'Yates', forename: 'Harriet', dates: '1958-' },
  // Diacritics and letters outside ASCII, as real catalogues have them.
  { surname: 'García Moreno', forename: 'Lucía', dates: '1972-', roman: 'Garcia Moreno' },
  { surname: 'Dvořák', forename: 'Tereza', roman: 'Dvorak' },
  { surname: 'Łukasiewicz', forename: 'Zofia', dates: '1964-', roman: 'Lukasiewicz' },
  { surname: 'Søndergaard', forename: 'Mette', roman: 'Sondergaard' },
  { surname: 'Öztürk', forename: 'Elif', roman: 'Ozturk' },
  { surname: 'Nguyễn', forename: 'Thị Lan', roman: 'Nguyen' },
  { surname: 'Müller', forename: 'Jürgen', dates: '1951-', roman: 'Muller' },
  { surname: 'Ó Súilleabháin', forename: 'Ciarán', roman: 'O Suilleabhain' },
  { surname: 'Lefèvre', forename: 'Hélène', roman: 'Lefevre' },
  { surname: 'Åberg', forename: 'Linnea', roman: 'Aberg' },
  { surname: 'Ibáñez', forename: 'Tomás', dates: '1980-', roman: 'Ibanez' },
];

export const DIRECTORS: Person[] = [
  { surname: 'Marlowe', forename: 'Greta' },
  { surname: 'Achebe', forename: 'Kemi' },
  { surname: 'Halvorsen', forename: 'Lars' },
  { surname: 'Iwasaki', forename: 'Ren' },
  { surname: 'Beaumont', forename: 'Sylvie' },
];

/** Long out of copyright: real titles, so the demo catalogue has something recognisable. */
export interface Classic {
  author: Person;
  title: string;
  subtitle?: string;
  nonFiling: number;
  /** First publication, for the note; the demo "edition" is a recent reprint. */
  firstPublished: number;
  lcClass: string;
  lcTitleCutter: string;
  dewey: string;
  lang: string;
  genre: string;
  /** Multi-volume editions get v.1, v.2... on their items. */
  volumes?: number;
}

export const CLASSICS: Classic[] = [
  { author: { surname: 'Austen', forename: 'Jane', dates: '1775-1817' }, title: 'Pride and prejudice', nonFiling: 0, firstPublished: 1813, lcClass: 'PR4034', lcTitleCutter: 'P7', dewey: '823.7', lang: 'eng', genre: 'Love stories' },
  { author: { surname: 'Brontë', forename: 'Charlotte', dates: '1816-1855', roman: 'Bronte' }, title: 'Jane Eyre', nonFiling: 0, firstPublished: 1847, lcClass: 'PR4167', lcTitleCutter: 'J3', dewey: '823.8', lang: 'eng', genre: 'Bildungsromans' },
  { author: { surname: 'Brontë', forename: 'Emily', dates: '1818-1848', roman: 'Bronte' }, title: 'Wuthering Heights', nonFiling: 0, firstPublished: 1847, lcClass: 'PR4172', lcTitleCutter: 'W7', dewey: '823.8', lang: 'eng', genre: 'Gothic fiction' },
  { author: { surname: 'Brontë', forename: 'Anne', dates: '1820-1849', roman: 'Bronte' }, title: 'The tenant of Wildfell Hall', nonFiling: 4, firstPublished: 1848, lcClass: 'PR4162', lcTitleCutter: 'T4', dewey: '823.8', lang: 'eng', genre: 'Domestic fiction' },
  { author: { surname: 'Melville', forename: 'Herman', dates: '1819-1891' }, title: 'Moby-Dick, or, The whale', nonFiling: 0, firstPublished: 1851, lcClass: 'PS2384', lcTitleCutter: 'M6', dewey: '813.3', lang: 'eng', genre: 'Sea stories' },
  { author: { surname: 'Shelley', forename: 'Mary Wollstonecraft', dates: '1797-1851' }, title: 'Frankenstein, or, The modern Prometheus', nonFiling: 0, firstPublished: 1818, lcClass: 'PR5397', lcTitleCutter: 'F7', dewey: '823.7', lang: 'eng', genre: 'Horror fiction' },
  { author: { surname: 'Tolstoy', forename: 'Leo', dates: 'graf, 1828-1910' }, title: 'War and peace', nonFiling: 0, firstPublished: 1869, lcClass: 'PG3366', lcTitleCutter: 'V6', dewey: '891.733', lang: 'eng', genre: 'Historical fiction', volumes: 2 },
  { author: { surname: 'Cervantes Saavedra', forename: 'Miguel de', dates: '1547-1616' }, title: 'Don Quijote de la Mancha', nonFiling: 0, firstPublished: 1605, lcClass: 'PQ6323', lcTitleCutter: 'A1', dewey: '863.3', lang: 'spa', genre: 'Picaresque literature', volumes: 2 },
  { author: { surname: 'Dickens', forename: 'Charles', dates: '1812-1870' }, title: 'Great expectations', nonFiling: 0, firstPublished: 1861, lcClass: 'PR4560', lcTitleCutter: 'A2', dewey: '823.8', lang: 'eng', genre: 'Bildungsromans' },
  { author: { surname: 'Eliot', forename: 'George', dates: '1819-1880' }, title: 'Middlemarch', subtitle: 'a study of provincial life', nonFiling: 0, firstPublished: 1871, lcClass: 'PR4662', lcTitleCutter: 'A2', dewey: '823.8', lang: 'eng', genre: 'Domestic fiction' },
  { author: { surname: 'Alcott', forename: 'Louisa May', dates: '1832-1888' }, title: 'Little women', nonFiling: 0, firstPublished: 1868, lcClass: 'PS1017', lcTitleCutter: 'L5', dewey: '813.4', lang: 'eng', genre: 'Domestic fiction' },
  { author: { surname: 'Dostoyevsky', forename: 'Fyodor', dates: '1821-1881' }, title: 'Crime and punishment', nonFiling: 0, firstPublished: 1866, lcClass: 'PG3326', lcTitleCutter: 'P7', dewey: '891.733', lang: 'eng', genre: 'Psychological fiction' },
  { author: { surname: 'Hugo', forename: 'Victor', dates: '1802-1885' }, title: 'Les misérables', nonFiling: 4, firstPublished: 1862, lcClass: 'PQ2286', lcTitleCutter: 'A1', dewey: '843.7', lang: 'fre', genre: 'Historical fiction', volumes: 3 },
  { author: { surname: 'Twain', forename: 'Mark', dates: '1835-1910' }, title: 'Adventures of Huckleberry Finn', nonFiling: 0, firstPublished: 1884, lcClass: 'PS1305', lcTitleCutter: 'A1', dewey: '813.4', lang: 'eng', genre: 'Picaresque literature' },
  { author: { surname: 'Tagore', forename: 'Rabindranath', dates: '1861-1941' }, title: 'Gitanjali', subtitle: 'song offerings', nonFiling: 0, firstPublished: 1912, lcClass: 'PK1722', lcTitleCutter: 'G5', dewey: '891.441', lang: 'eng', genre: 'Poetry' },
  { author: { surname: 'Stoker', forename: 'Bram', dates: '1847-1912' }, title: 'Dracula', nonFiling: 0, firstPublished: 1897, lcClass: 'PR6037.T617', lcTitleCutter: 'D7', dewey: '823.8', lang: 'eng', genre: 'Horror fiction' },
  { author: { surname: 'Flaubert', forename: 'Gustave', dates: '1821-1880' }, title: 'Madame Bovary', nonFiling: 0, firstPublished: 1857, lcClass: 'PQ2246', lcTitleCutter: 'M2', dewey: '843.8', lang: 'fre', genre: 'Psychological fiction' },
  { author: { surname: 'Whitman', forename: 'Walt', dates: '1819-1892' }, title: 'Leaves of grass', nonFiling: 0, firstPublished: 1855, lcClass: 'PS3201', lcTitleCutter: 'L4', dewey: '811.3', lang: 'eng', genre: 'Poetry' },
  { author: { surname: 'Poe', forename: 'Edgar Allan', dates: '1809-1849' }, title: 'The complete tales and poems of Edgar Allan Poe', nonFiling: 4, firstPublished: 1845, lcClass: 'PS2602', lcTitleCutter: 'C6', dewey: '813.3', lang: 'eng', genre: 'Horror fiction' },
  { author: { surname: 'Hardy', forename: 'Thomas', dates: '1840-1928' }, title: 'Tess of the d\'Urbervilles', subtitle: 'a pure woman', nonFiling: 0, firstPublished: 1891, lcClass: 'PR4748', lcTitleCutter: 'A1', dewey: '823.8', lang: 'eng', genre: 'Domestic fiction' },
];

/** Works in other scripts, catalogued in the original script with a romanised 246. */
export interface ForeignWork {
  author: Person;
  title: string;
  romanTitle: string;
  lang: string;
  country: string;
  place: string;
  publisher: string;
  lcClass: string;
  dewey: string;
  genre: string;
}

export const FOREIGN_WORKS: ForeignWork[] = [
  { author: { surname: 'Иванова', forename: 'Мария', roman: 'Ivanova' }, title: 'Северный ветер', romanTitle: 'Severnyi veter', lang: 'rus', country: 'ru ', place: 'Москва', publisher: 'Северная книга', lcClass: 'PG3485', dewey: '891.735', genre: 'Russian fiction' },
  { author: { surname: 'Παπαδόπουλος', forename: 'Νίκος', roman: 'Papadopoulos' }, title: 'Το γαλάζιο σπίτι', romanTitle: 'To galazio spiti', lang: 'gre', country: 'gr ', place: 'Αθήνα', publisher: 'Εκδόσεις Ακτή', lcClass: 'PA5636', dewey: '889.35', genre: 'Greek fiction' },
  { author: { surname: '山田', forename: '花子', roman: 'Yamada' }, title: '静かな海', romanTitle: 'Shizukana umi', lang: 'jpn', country: 'ja ', place: '東京', publisher: '青空書房', lcClass: 'PL877', dewey: '895.636', genre: 'Japanese fiction' },
  { author: { surname: '李', forename: '明', roman: 'Li' }, title: '山中的月光', romanTitle: 'Shan zhong de yue guang', lang: 'chi', country: 'cc ', place: '北京', publisher: '长河出版社', lcClass: 'PL2950', dewey: '895.136', genre: 'Chinese fiction' },
  { author: { surname: 'حداد', forename: 'ليلى', roman: 'Haddad' }, title: 'حديقة الليل', romanTitle: 'Hadiqat al-layl', lang: 'ara', country: 'le ', place: 'بيروت', publisher: 'دار النخيل', lcClass: 'PJ7930', dewey: '892.737', genre: 'Arabic fiction' },
  { author: { surname: 'Коваленко', forename: 'Олена', roman: 'Kovalenko' }, title: 'Дім над рікою', romanTitle: 'Dim nad rikoiu', lang: 'ukr', country: 'un ', place: 'Київ', publisher: 'Видавництво Світанок', lcClass: 'PG3949', dewey: '891.793', genre: 'Ukrainian fiction' },
];

export interface Subject {
  dewey: string;
  /** LC class number, and an optional topical Cutter ("QA76.73" + "J38"). */
  lc: string;
  lcTopic?: string;
  /** 650 $a, then $x subdivisions. */
  heading: string[];
  /** How titles name the topic. */
  topics: string[];
  /** Suited to the children's collection. */
  juvenile?: boolean;
}

export const SUBJECTS: Subject[] = [
  { dewey: '005.133', lc: 'QA76.73', lcTopic: 'P98', heading: ['Python (Computer program language)'], topics: ['Python programming', 'Python'] },
  { dewey: '005.133', lc: 'QA76.73', lcTopic: 'J38', heading: ['Java (Computer program language)'], topics: ['Java programming', 'Java'] },
  { dewey: '004', lc: 'QA76', heading: ['Computers'], topics: ['computers', 'computing'], juvenile: true },
  { dewey: '005.8', lc: 'QA76.9', lcTopic: 'A25', heading: ['Computer security'], topics: ['computer security', 'cybersecurity'] },
  { dewey: '510', lc: 'QA39.3', heading: ['Mathematics'], topics: ['mathematics', 'numbers'], juvenile: true },
  { dewey: '516', lc: 'QA445', heading: ['Geometry'], topics: ['geometry'] },
  { dewey: '523.1', lc: 'QB981', heading: ['Cosmology'], topics: ['the universe', 'cosmology'] },
  { dewey: '523.4', lc: 'QB601', heading: ['Planets'], topics: ['the planets', 'the solar system'], juvenile: true },
  { dewey: '530', lc: 'QC21.3', heading: ['Physics'], topics: ['physics'] },
  { dewey: '540', lc: 'QD31.3', heading: ['Chemistry'], topics: ['chemistry'] },
  { dewey: '551.6', lc: 'QC981', heading: ['Climatology'], topics: ['climate', 'weather'] },
  { dewey: '576.8', lc: 'QH366.2', heading: ['Evolution (Biology)'], topics: ['evolution'] },
  { dewey: '581', lc: 'QK45.2', heading: ['Botany'], topics: ['plants', 'botany'] },
  { dewey: '598', lc: 'QL673', heading: ['Birds'], topics: ['birds', 'birdwatching'], juvenile: true },
  { dewey: '599.75', lc: 'QL737', lcTopic: 'C23', heading: ['Felidae'], topics: ['big cats', 'wild cats'], juvenile: true },
  { dewey: '599.5', lc: 'QL737', lcTopic: 'C4', heading: ['Whales'], topics: ['whales'], juvenile: true },
  { dewey: '613.7', lc: 'RA781', heading: ['Physical fitness'], topics: ['fitness', 'exercise'] },
  { dewey: '641.5', lc: 'TX714', heading: ['Cooking'], topics: ['cooking', 'home cooking'] },
  { dewey: '641.5945', lc: 'TX723', heading: ['Cooking, Italian'], topics: ['Italian cooking'] },
  { dewey: '635', lc: 'SB453', heading: ['Gardening'], topics: ['gardening', 'the kitchen garden'] },
  { dewey: '720', lc: 'NA200', heading: ['Architecture', 'History'], topics: ['architecture'] },
  { dewey: '759.4', lc: 'ND541', heading: ['Painting, French'], topics: ['French painting'] },
  { dewey: '780.9', lc: 'ML160', heading: ['Music', 'History and criticism'], topics: ['music', 'Western music'] },
  { dewey: '796.334', lc: 'GV943', heading: ['Soccer'], topics: ['football', 'soccer'], juvenile: true },
  { dewey: '909', lc: 'D21', heading: ['World history'], topics: ['world history'] },
  { dewey: '940.53', lc: 'D743', heading: ['World War, 1939-1945'], topics: ['the Second World War'] },
  { dewey: '944', lc: 'DC38', heading: ['France', 'History'], topics: ['France'] },
  { dewey: '973', lc: 'E178', heading: ['United States', 'History'], topics: ['America', 'the United States'] },
  { dewey: '320', lc: 'JA71', heading: ['Political science'], topics: ['politics', 'political thought'] },
  { dewey: '330', lc: 'HB171', heading: ['Economics'], topics: ['economics'] },
  { dewey: '150', lc: 'BF121', heading: ['Psychology'], topics: ['psychology', 'the mind'] },
  { dewey: '170', lc: 'BJ1012', heading: ['Ethics'], topics: ['ethics'] },
  { dewey: '200', lc: 'BL48', heading: ['Religion'], topics: ['religion', 'world religions'] },
  { dewey: '371.102', lc: 'LB1025.3', heading: ['Teaching'], topics: ['teaching'] },
  { dewey: '398.2', lc: 'GR76', heading: ['Folklore'], topics: ['folk tales', 'folklore'], juvenile: true },
  { dewey: '363.7', lc: 'GE105', heading: ['Environmental protection'], topics: ['the environment', 'conservation'] },
];

export interface ReferenceWork {
  title: string;
  dewey: string;
  lc: string;
  cutter: string;
  heading: string[];
  volumes?: number;
}

export const REFERENCE_WORKS: ReferenceWork[] = [
  { title: 'The Carrel encyclopedia', dewey: '031', lc: 'AE5', cutter: 'C37', heading: ['Encyclopedias and dictionaries'], volumes: 3 },
  { title: 'Concise dictionary of the English language', dewey: '423', lc: 'PE1628', cutter: 'C66', heading: ['English language', 'Dictionaries'] },
  { title: 'World atlas', dewey: '912', lc: 'G1021', cutter: 'W67', heading: ['Atlases'] },
  { title: 'Dictionary of national biography', dewey: '920.041', lc: 'DA28', cutter: 'D53', heading: ['Great Britain', 'Biography', 'Dictionaries'], volumes: 4 },
  { title: 'Handbook of chemistry and physics', dewey: '540.212', lc: 'QD65', cutter: 'H36', heading: ['Chemistry', 'Tables'] },
  { title: 'Encyclopedia of world religions', dewey: '200.3', lc: 'BL31', cutter: 'E53', heading: ['Religions', 'Encyclopedias'], volumes: 2 },
  { title: 'Almanac of the year', dewey: '031.02', lc: 'AY64', cutter: 'A46', heading: ['Almanacs'] },
  { title: 'Guide to reference sources', dewey: '011.02', lc: 'Z1035.1', cutter: 'G85', heading: ['Reference books', 'Bibliography'] },
];

export interface Serial {
  title: string;
  dewey: string;
  lc: string;
  cutter: string;
  heading: string[];
  frequency: 'm' | 'q' | 'w' | 'b';
  startYear: number;
}

export const SERIALS: Serial[] = [
  { title: 'Journal of applied computing', dewey: '004.05', lc: 'QA75.5', cutter: 'J68', heading: ['Electronic data processing', 'Periodicals'], frequency: 'q', startYear: 1998 },
  { title: 'The northern review', dewey: '051', lc: 'AP2', cutter: 'N67', heading: ['American periodicals'], frequency: 'm', startYear: 1971 },
  { title: 'Natural history quarterly', dewey: '508.05', lc: 'QH1', cutter: 'N38', heading: ['Natural history', 'Periodicals'], frequency: 'q', startYear: 1985 },
  { title: 'Garden and home', dewey: '635.05', lc: 'SB403', cutter: 'G37', heading: ['Gardening', 'Periodicals'], frequency: 'm', startYear: 2004 },
  { title: 'Historical studies', dewey: '905', lc: 'D1', cutter: 'H57', heading: ['History', 'Periodicals'], frequency: 'q', startYear: 1962 },
  { title: 'Revista de estudios hispánicos', dewey: '860.5', lc: 'PQ6001', cutter: 'R48', heading: ['Spanish literature', 'History and criticism', 'Periodicals'], frequency: 'b', startYear: 1990 },
  { title: 'The weekly science digest', dewey: '505', lc: 'Q1', cutter: 'W45', heading: ['Science', 'Periodicals'], frequency: 'w', startYear: 2010 },
  { title: 'Library practice today', dewey: '020.5', lc: 'Z671', cutter: 'L53', heading: ['Library science', 'Periodicals'], frequency: 'b', startYear: 1979 },
];

export const ADJECTIVES = [
  'silent', 'hidden', 'last', 'crimson', 'northern', 'forgotten', 'winter', 'glass', 'paper', 'iron',
  'quiet', 'burning', 'distant', 'golden', 'salt', 'hollow', 'secret', 'wild', 'lantern', 'midnight',
  'borrowed', 'lost', 'seventh', 'painted', 'broken',
] as const;

export const NOUNS = [
  'harbor', 'garden', 'orchard', 'lighthouse', 'river', 'kingdom', 'letter', 'station', 'island',
  'map', 'city', 'bridge', 'clockmaker', 'daughter', 'archive', 'summer', 'comet', 'valley', 'library',
  'tide', 'cartographer', 'house', 'violin', 'ferry', 'mountain',
] as const;

export const PLACES = [
  'Lisbon', 'Kestrel Bay', 'Ashford', 'Vellmar', 'the Northern Sea', 'Saint-Malo', 'Marrakesh',
  'Lake Orla', 'Dunmore', 'Valparaíso', 'Kraków', 'Tromsø',
] as const;

export const ANIMALS = ['fox', 'owl', 'dragon', 'badger', 'whale', 'kitten', 'rabbit', 'bear', 'otter', 'hedgehog'] as const;

export const CHILD_NAMES = ['Milo', 'Ada', 'Pip', 'Rosie', 'Theo', 'Luna', 'Oscar', 'Nell'] as const;

export const FICTION_SUBTITLES = ['a novel', 'a mystery', 'stories', 'a thriller', 'a love story'] as const;

export const NONFICTION_LEADS = [
  '{t}', 'Introduction to {t}', '{T} for beginners', 'Understanding {t}', 'The essentials of {t}',
  'A short history of {t}', 'Exploring {t}', 'The {t} handbook', 'Thinking about {t}',
] as const;

export const NONFICTION_SUBTITLES = [
  'a practical guide', 'theory and practice', 'an illustrated history', 'new perspectives',
  'from the ground up', 'a field guide', 'questions and answers',
] as const;

export const FICTION_GENRES = [
  'Fantasy fiction', 'Detective and mystery fiction', 'Science fiction', 'Historical fiction',
  'Love stories', 'Domestic fiction', 'Thrillers (Fiction)',
] as const;

export interface Publisher {
  name: string;
  place: string;
  /** MARC country code for 008/15-17. */
  country: string;
}

export const PUBLISHERS: Publisher[] = [
  { name: 'Northwind Books', place: 'New York', country: 'nyu' },
  { name: 'Harbor Light Press', place: 'Boston', country: 'mau' },
  { name: 'Meridian House', place: 'London', country: 'enk' },
  { name: 'Caldera Publishing', place: 'Toronto', country: 'onc' },
  { name: 'Bluestone Academic', place: 'Oxford', country: 'enk' },
  { name: 'Juniper & Finch', place: 'Chicago', country: 'ilu' },
  { name: 'Lakeshore University Press', place: 'Madison', country: 'wiu' },
  { name: 'Little Acorn Books', place: 'San Francisco', country: 'cau' },
];

export const FOREIGN_PUBLISHERS: Record<string, Publisher> = {
  spa: { name: 'Ediciones Alba', place: 'Madrid', country: 'sp ' },
  fre: { name: 'Éditions du Phare', place: 'Paris', country: 'fr ' },
};
