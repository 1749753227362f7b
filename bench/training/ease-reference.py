#!/usr/bin/env python3
"""EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019) in numpy: the
reference the TypeScript user model is measured against by bench/training/quality-bench.ts.

    B = I - P diag(1/diag(P)),  P = (X^T X + lambda I)^-1,  scores = X B

Input (written by quality-bench.ts into --dir):
  train.csv       user,item,timestamp    the training users' interactions (integer indexes)
  test_input.csv  user,item,timestamp    each test user's oldest 90 % (oldest first)
Output, for every lambda in --lambdas and decay in --decays:
  recs_<lambda>_<decay>.csv   user,rank,item   each test user's top --k, already-seen items excluded
A decay of "inf" is plain EASE (binary query); a number d weights the r-th newest distinct input item
by exp(-r/d) in the query (EASE's training is unchanged), to show what recency alone gives EASE.
Prints one JSON line: {"gram_s", "lambdas": {lambda: {"inverse_s", "score_s"}}, "threads"}.
numpy's BLAS uses every core unless OPENBLAS_NUM_THREADS says otherwise.
"""
import argparse
import json
import os
import time

import numpy as np
import scipy.sparse as sp


def load(path):
    a = np.loadtxt(path, delimiter=",", ndmin=2)
    return a[:, 0].astype(np.int64), a[:, 1].astype(np.int64), a[:, 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--items", type=int, required=True)
    ap.add_argument("--lambdas", default="100,300,1000,3000")
    ap.add_argument("--decays", default="inf")
    ap.add_argument("--k", type=int, default=25)
    a = ap.parse_args()
    n = a.items

    t0 = time.perf_counter()
    u, i, _ = load(os.path.join(a.dir, "train.csv"))
    n_users = int(u.max()) + 1 if len(u) else 0
    X = sp.csr_matrix((np.ones(len(u)), (u, i)), shape=(n_users, n))
    X.data[:] = 1.0  # binary: repeated interactions count once
    G = (X.T @ X).toarray()
    gram_s = time.perf_counter() - t0

    tu, ti, _ = load(os.path.join(a.dir, "test_input.csv"))
    n_test = int(tu.max()) + 1 if len(tu) else 0
    histories = [[] for _ in range(n_test)]
    for x, y in zip(tu, ti):
        histories[x].append(int(y))
    queries = {}
    for d in a.decays.split(","):
        Q = np.zeros((n_test, n), dtype=np.float64)
        for t, h in enumerate(histories):
            seen = []
            for y in reversed(h):
                if y not in seen:
                    seen.append(y)
            for r, y in enumerate(seen):
                Q[t, y] = 1.0 if d == "inf" else np.exp(-r / float(d))
        queries[d] = Q
    seen_mask = np.zeros((n_test, n), dtype=bool)
    for t, h in enumerate(histories):
        seen_mask[t, h] = True

    report = {"gram_s": round(gram_s, 3), "lambdas": {}, "threads": os.environ.get("OPENBLAS_NUM_THREADS", "all cores")}
    diag = np.diag_indices(n)
    lambdas = a.lambdas.split(",")
    for lam_s in lambdas:
        lam = float(lam_s)
        t1 = time.perf_counter()
        # With one lambda G is not needed again: work in place (20,000 items: 3.2 GB per matrix).
        A = G if len(lambdas) == 1 else G.copy()
        A[diag] += lam
        P = np.linalg.inv(A)
        del A
        if len(lambdas) == 1:
            del G
        B = P
        B /= -np.diag(P).copy()
        B[diag] = 0.0
        inverse_s = time.perf_counter() - t1
        t2 = time.perf_counter()
        for d, Q in queries.items():
            S = Q @ B
            S[seen_mask] = -np.inf
            top = np.argpartition(-S, min(a.k, n - 1), axis=1)[:, : a.k]
            rows = np.arange(n_test)[:, None]
            order = np.lexsort((top, -S[rows, top]), axis=1)
            top = top[rows, order]
            with open(os.path.join(a.dir, f"recs_{lam_s}_{d}.csv"), "w") as f:
                for t in range(n_test):
                    for r, y in enumerate(top[t]):
                        if np.isfinite(S[t, y]):
                            f.write(f"{t},{r},{y}\n")
        report["lambdas"][lam_s] = {"inverse_s": round(inverse_s, 3), "score_s": round(time.perf_counter() - t2, 3)}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
