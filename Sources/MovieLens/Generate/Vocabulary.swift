// Word lists for generated titles, tags and genome tags: enough variety for realistic
// dictionaries and string lengths, plus the quirks real MovieLens text has (non-ASCII,
// apostrophes, commas, quotes).

enum Vocabulary {
    static let genres = ["Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama",
                         "Fantasy", "Film-Noir", "Horror", "IMAX", "Musical", "Mystery", "Romance", "Sci-Fi",
                         "Thriller", "War", "Western"]

    static let adjectives = ["Lost", "Dark", "Silent", "Last", "Secret", "Wild", "Broken", "Golden", "Hidden", "Little",
                             "Big", "Crazy", "Deadly", "Eternal", "Final", "Frozen", "Happy", "Invisible", "Lonely",
                             "Midnight", "Perfect", "Red", "Blue", "Savage", "Strange", "Sweet", "True", "Young",
                             "American", "French", "Italian", "Electric", "Burning", "Quiet", "Endless", "Fallen"]

    static let nouns = ["City", "Heart", "Night", "Road", "River", "Dream", "Game", "House", "King", "Queen", "Man",
                        "Woman", "Girl", "Boy", "Story", "War", "Love", "Life", "World", "Star", "Sky", "Island",
                        "Summer", "Winter", "Shadow", "Ghost", "Money", "Mountain", "Empire", "Garden", "Mirror",
                        "Train", "Hotel", "Party", "Detective", "Machine", "Planet", "Dragon", "Wedding", "Stranger"]

    static let foreign = ["Amélie", "Léon", "Crème Brûlée", "Mädchen", "Straße", "Ñandú", "Smörgåsbord", "Café",
                          "Østerbro", "Żółć", "東京物語", "Москва", "Αθήνα", "Niño", "Señorita", "Garçon", "Fête",
                          "Schön", "Ça Ira", "Noël"]

    static let lowerWords = ["it's", "don't", "o'brien", "mcdonald's", "rock'n'roll", "x-men", "up-and-down",
                             "e.t.", "world war ii", "dr. strange", "mr. & mrs. smith", "l.a. story"]

    static let tagWords = ["funny", "dark comedy", "atmospheric", "classic", "twist ending", "based on a book",
                           "sci-fi", "visually appealing", "thought-provoking", "dystopia", "space", "quirky",
                           "cult film", "surreal", "romance", "violence", "great soundtrack", "time travel",
                           "mindfuck", "psychology", "nonlinear", "stylized", "satire", "superhero", "war",
                           "leonardo dicaprio", "pixar", "animation", "bittersweet", "disturbing", "predictable",
                           "overrated", "underrated", "slow", "beautiful", "inspirational", "friendship", "revenge",
                           "mafia", "heist", "philosophical", "noir", "remake", "sequel", "true story", "zombies",
                           "vampires", "aliens", "robots", "magic", "music", "dance", "sports", "high school",
                           "coming of age", "family", "christmas", "new york city", "paris", "los angeles"]

    static let tagQuirks = ["funny, quirky", "dark, atmospheric", "\"classic\"", "so bad it's good", "must see!",
                            "Oscar (Best Picture)", "gore, violence", "slow, boring", "hilarious, witty", "ça va",
                            "Tarantino-esque", "90's", "  spaced  ", "emoji 🎬", "a \"must\" watch"]
}
