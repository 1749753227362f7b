"""The HetRec 2011 Last.FM download (hetrec2011-lastfm-2k) in shape, for the notebooks that read it
(boto3_notebook_personalized_ranking.py, boto3_notebook_batch_recommendations.py): nothing can be
downloaded here, so its three files that the notebooks read are generated from MovieLens-like
ratings (boto3_notebook_data.movielens) in the download's own formats:
user_taggedartists-timestamps.dat (tab-separated userID, artistID, tagID, timestamp in milliseconds,
with a header; several rows per user and artist, one per tag, at the same time; and, as the real
file has, a negative timestamp), artists.dat (id, name, url, pictureURL; it lists artists nobody
tagged, as the real one does) and user_artists.dat (userID, artistID, weight).
"""
import csv
import random

from boto3_notebook_data import movielens


def write_lastfm(data_dir, users=300):
    """Writes the three files into data_dir (which must exist)."""
    _, listened = movielens(seed=2011, users=users, items=700, ratings_per_user=12,
                            first_timestamp=1104537600, last_timestamp=1304941000)
    rnd = random.Random(2011)
    negative_done = False
    with open(data_dir + '/user_taggedartists-timestamps.dat', "w", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["userID", "artistID", "tagID", "timestamp"])
        for user, artist, _, t in listened:
            # Tagging times are whole days (at 22:00 or 23:00 UTC) in milliseconds, one row per tag.
            ms = (t // 86400 * 86400 - 3600 * rnd.choice([1, 2])) * 1000
            if not negative_done and user == 7:
                ms, negative_done = -428720400000, True
            for tag in sorted(rnd.sample(range(1, 12648), rnd.choice([1, 1, 2, 3, 4]))):
                w.writerow([user + 1, artist, tag, ms])
    # artists.dat (id, name, url, pictureURL) lists more artists than were ever tagged, as the real one
    # does; user_artists.dat (userID, artistID, weight) holds the users' listening counts.
    with open(data_dir + '/artists.dat', "w", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        w.writerow(["id", "name", "url", "pictureURL"])
        for artist in range(1, 1001):
            name = "Earth, Wind & Fire" if artist == 987 else f"Artist {artist}"
            w.writerow([artist, name, "http://www.last.fm/music/" + name.replace(" ", "+"),
                        f"http://userserve-ak.last.fm/serve/252/{artist * 7919}.jpg"])
    with open(data_dir + '/user_artists.dat', "w", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["userID", "artistID", "weight"])
        w.writerows(sorted({(user + 1, artist, rnd.randrange(1, 20000)) for user, artist, _, _ in listened}))
