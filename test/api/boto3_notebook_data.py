"""Data in the shape of the downloads of AWS's sample notebooks (aws-samples/amazon-personalize-samples),
for the boto3_notebook_*.py scripts: nothing can be downloaded here, so MovieLens-like ratings are
generated, with enough taste structure (each user prefers a few genres) that a trained model has
something to find, and written in each download's own file format by the scripts themselves.

Also the shared frame of the scripts: the notebooks print as they go and each script prints one
JSON summary, so the notebooks' print() output goes to stderr and the summary to stdout.
"""
import json
import random
import sys

GENRES = ["Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
          "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War",
          "Western"]


def movielens(seed, users, items, ratings_per_user, first_timestamp=874724710, last_timestamp=893286638):
    """[(movieId, title, [genres])], [(userId, movieId, rating 1-5, unix seconds)], users and items numbered from 1."""
    rnd = random.Random(seed)
    movies = []
    for m in range(1, items + 1):
        genres = sorted(rnd.sample(GENRES, 1 + m % 3))
        title = f"Movie {m}{', The' if m % 13 == 0 else ''} ({1930 + m % 68})"
        movies.append((m, title, genres))
    by_genre = {g: [m for m, _, gs in movies if g in gs] for g in GENRES}
    # A popularity skew, as in MovieLens: low movie ids are watched more.
    weights = [1.0 / (1 + m / 40) for m in range(1, items + 1)]
    ratings = []
    for u in range(1, users + 1):
        liked = rnd.sample(GENRES, 2)
        pool = sorted({m for g in liked for m in by_genre[g]})
        n = max(3, int(rnd.gauss(ratings_per_user, ratings_per_user / 4)))
        seen = set()
        start = rnd.randrange(first_timestamp, last_timestamp - 86400 * 30)
        t = start
        while len(seen) < min(n, items):
            if rnd.random() < 0.75 and pool:
                m = rnd.choice(pool)
            else:
                m = rnd.choices(range(1, items + 1), weights)[0]
            if m in seen:
                continue
            seen.add(m)
            t = min(last_timestamp, t + rnd.randrange(30, 86400))
            rating = rnd.choice([4, 4, 5, 5, 3]) if m in pool else rnd.choice([1, 2, 3, 3, 4])
            ratings.append((u, m, rating, t))
    return movies, ratings


_stdout = sys.stdout


def notebook_output_to_stderr():
    """The notebooks' print() calls stay as written; what they print goes to stderr."""
    sys.stdout = sys.stderr


def summary(obj):
    _stdout.write(json.dumps(obj, default=str) + "\n")
    _stdout.flush()


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)
