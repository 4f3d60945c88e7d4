import json
out = []
def allow(id, sql, frm=None, groups=(), unit=None, where=None, values=(), complete=True, note=None):
    e = {"id": id, "sql": sql, "expect": "ALLOW"}
    if frm:
        e["oracle"] = {"from": frm, "groups": list(groups), "unit": unit, "values": list(values), "complete": complete}
        if where: e["oracle"]["where"] = where
    elif note:
        e["note"] = note
    out.append(e)
def reject(id, sql, rule):
    out.append({"id": id, "sql": sql, "expect": "REJECT", "rule": rule})

D = lambda c: f"CAST({c} AS DOUBLE PRECISION)"
# ---------------- legitimate analyst queries: arrests ----------------
allow("arrests-by-year", "SELECT year, COUNT(*) AS n FROM arrests GROUP BY year",
      "arrests", ["year"], "id", values=["COUNT(*)"])
allow("arrests-by-sex-year", "SELECT sex, year, COUNT(*) AS n FROM arrests GROUP BY sex, year",
      "arrests", ["sex", "year"], "id", values=["COUNT(*)"])
allow("arrests-released-by-colour", "SELECT colour, released, COUNT(*) AS n FROM arrests GROUP BY colour, released",
      "arrests", ["colour", "released"], "id", values=["COUNT(*)"])
allow("arrests-avg-age-by-sex", "SELECT sex, AVG(age) AS avg_age FROM arrests GROUP BY sex",
      "arrests", ["sex"], "id", values=[f"AVG({D('age')})"])
allow("arrests-avg-checks", "SELECT colour, employed, AVG(checks) AS avg_checks FROM arrests GROUP BY colour, employed",
      "arrests", ["colour", "employed"], "id", values=[f"AVG({D('checks')})"])
allow("arrests-age-decade", "SELECT FLOOR(age / 10) AS decade, COUNT(*) AS n FROM arrests GROUP BY FLOOR(age / 10)",
      "arrests", ["FLOOR(age / 10)"], "id", values=["COUNT(*)"])
allow("arrests-age-bands-case", "SELECT CASE WHEN age < 18 THEN 'minor' WHEN age < 30 THEN 'young adult' ELSE 'adult' END AS band, COUNT(*) AS n FROM arrests GROUP BY CASE WHEN age < 18 THEN 'minor' WHEN age < 30 THEN 'young adult' ELSE 'adult' END",
      "arrests", ["CASE WHEN age < 18 THEN 'minor' WHEN age < 30 THEN 'young adult' ELSE 'adult' END"], "id", values=["COUNT(*)"])
allow("arrests-citizen-recent", "SELECT citizen, COUNT(*) AS n FROM arrests WHERE year >= 2000 GROUP BY citizen",
      "arrests", ["citizen"], "id", where="year >= 2000", values=["COUNT(*)"])
allow("arrests-distinct-people", "SELECT released, colour, COUNT(DISTINCT id) AS people FROM arrests GROUP BY released, colour",
      "arrests", ["released", "colour"], "id", values=["COUNT(DISTINCT id)"])
allow("arrests-release-share", "SELECT colour, AVG(CASE WHEN released = 'Yes' THEN 1 ELSE 0 END) AS share_released FROM arrests GROUP BY colour",
      "arrests", ["colour"], "id", values=[f"AVG({D(chr(32)+'CASE WHEN released = '+chr(39)+'Yes'+chr(39)+' THEN 1 ELSE 0 END')})"])
allow("arrests-held-count-filter", "SELECT colour, COUNT(*) FILTER (WHERE released = 'No') AS held, COUNT(*) AS n FROM arrests GROUP BY colour",
      "arrests", ["colour"], "id")
allow("arrests-count-if", "SELECT sex, count_if(employed = 'No') AS unemployed FROM arrests GROUP BY sex",
      "arrests", ["sex"], "id")
allow("arrests-sum-checks-by-year", "SELECT year, SUM(checks) AS total_checks FROM arrests GROUP BY year",
      "arrests", ["year"], "id", values=["SUM(checks)"])
allow("arrests-three-dims", "SELECT employed, citizen, colour, COUNT(*) AS n FROM arrests GROUP BY employed, citizen, colour",
      "arrests", ["employed", "citizen", "colour"], "id", values=["COUNT(*)"])
allow("arrests-young-by-sex", "SELECT sex, COUNT(*) AS n FROM arrests WHERE age BETWEEN 18 AND 27 GROUP BY sex",
      "arrests", ["sex"], "id", where="age BETWEEN 18 AND 27", values=["COUNT(*)"])
allow("arrests-top-years", "SELECT year, COUNT(*) AS n FROM arrests GROUP BY year ORDER BY n DESC LIMIT 3",
      "arrests", ["year"], "id", values=["COUNT(*)"], complete=False)
allow("arrests-having", "SELECT year, COUNT(*) AS n FROM arrests GROUP BY year HAVING COUNT(*) > 800",
      "arrests", ["year"], "id", values=["COUNT(*)"], complete=False)
# MIN/MAX of a dimension see only values that k people share (issue 9): the values may differ from plain MIN/MAX.
allow("arrests-year-range", "SELECT MIN(year) AS first_year, MAX(year) AS last_year FROM arrests",
      "arrests", [], "id", values=[])
allow("arrests-many-checks", "SELECT colour, COUNT(*) AS n FROM arrests WHERE checks >= 3 GROUP BY colour",
      "arrests", ["colour"], "id", where="checks >= 3", values=["COUNT(*)"])
allow("arrests-five-year-bands", "SELECT FLOOR(age / 5) * 5 AS band, COUNT(*) AS n FROM arrests GROUP BY FLOOR(age / 5) * 5",
      "arrests", ["FLOOR(age / 5) * 5"], "id", values=["COUNT(*)"])
allow("arrests-avg-age-year-sex", "SELECT year, sex, AVG(age) AS avg_age FROM arrests GROUP BY year, sex",
      "arrests", ["year", "sex"], "id", values=[f"AVG({D('age')})"])
allow("arrests-total", "SELECT COUNT(*) AS n FROM arrests", "arrests", [], "id", values=["COUNT(*)"])
allow("sub-union-two-levels", "SELECT 'colour' AS dim, colour AS val, COUNT(*) AS n FROM arrests GROUP BY colour UNION ALL SELECT 'sex', sex, COUNT(*) FROM arrests GROUP BY sex",
      note="two marginals in one UNION ALL: each thresholded as in a query of its own")
allow("arrests-share-by-colour", "SELECT colour, ROUND(100.0 * COUNT(*) / (SELECT COUNT(*) FROM arrests), 1) AS pct FROM arrests GROUP BY colour",
      note="a share of the total through a scalar sub-query: group and total each need k")
allow("arrests-released-share-joined", "SELECT a.colour, a.held * 1.0 / b.n AS held_share FROM (SELECT colour, COUNT(*) AS held FROM arrests WHERE released = 'No' GROUP BY colour) a JOIN (SELECT colour, COUNT(*) AS n FROM arrests GROUP BY colour) b ON a.colour = b.colour",
      note="two marginals of one table joined on their key, one divided by the other")
allow("arrests-rank-years", "SELECT year, n, RANK() OVER (ORDER BY n DESC) AS r FROM (SELECT year, COUNT(*) AS n FROM arrests GROUP BY year) t",
      note="window over aggregated rows")
allow("arrests-avg-of-groups", "SELECT AVG(n) AS avg_per_year FROM (SELECT year, COUNT(*) AS n FROM arrests GROUP BY year) t",
      note="aggregate of thresholded groups")
allow("arrests-cte", "WITH per_year AS (SELECT year, COUNT(*) AS n FROM arrests GROUP BY year) SELECT year, n FROM per_year WHERE n > 500",
      "arrests", ["year"], "id", values=["COUNT(*)"], complete=False)
allow("arrests-share-of-total", "SELECT colour, COUNT(*) * 100.0 / 5226 AS pct FROM arrests GROUP BY colour",
      "arrests", ["colour"], "id")
allow("arrests-double-quoted-literal", "SELECT sex, COUNT(*) AS n FROM arrests WHERE colour = \"Black\" GROUP BY sex",
      "arrests", ["sex"], "id", where="colour = 'Black'", values=["COUNT(*)"])
allow("arrests-in-list", "SELECT year, COUNT(*) AS n FROM arrests WHERE year IN (1999, 2001) GROUP BY year",
      "arrests", ["year"], "id", where="year IN (1999, 2001)", values=["COUNT(*)"])
allow("arrests-lowercase-backticks", "select `sex`, count(*) as n from `arrests` group by `sex`",
      "arrests", ["sex"], "id", values=["COUNT(*)"])
allow("arrests-small-cells", "SELECT colour, year, sex, employed, citizen, COUNT(*) AS n FROM arrests GROUP BY colour, year, sex, employed, citizen",
      "arrests", ["colour", "year", "sex", "employed", "citizen"], "id", values=["COUNT(*)"])

# ---------------- patients ----------------
allow("patients-by-sex", "SELECT sex, COUNT(*) AS n FROM patients GROUP BY sex", "patients", ["sex"], "id", values=["COUNT(*)"])
allow("patients-deaths-by-chapter", "SELECT chapter, COUNT(*) AS deaths FROM patients WHERE death = 1 GROUP BY chapter",
      "patients", ["chapter"], "id", where="death = 1", values=["COUNT(*)"])
allow("patients-creatinine-by-sex", "SELECT sex, AVG(creatinine) AS avg_creatinine FROM patients GROUP BY sex",
      "patients", ["sex"], "id", values=["AVG(creatinine)"])
allow("patients-flc-by-group", "SELECT flc_grp, AVG(kappa) AS kappa, AVG(lambda) AS lambda FROM patients GROUP BY flc_grp",
      "patients", ["flc_grp"], "id", values=["AVG(kappa)", "AVG(lambda)"])
allow("patients-by-sample-year", "SELECT sample_yr, COUNT(*) AS n FROM patients GROUP BY sample_yr",
      "patients", ["sample_yr"], "id", values=["COUNT(*)"])
allow("patients-mgus-sex", "SELECT mgus, sex, COUNT(*) AS n FROM patients GROUP BY mgus, sex",
      "patients", ["mgus", "sex"], "id", values=["COUNT(*)"])
allow("patients-mortality-by-decade", "SELECT FLOOR(age / 10) AS decade, AVG(death) AS mortality FROM patients GROUP BY FLOOR(age / 10)",
      "patients", ["FLOOR(age / 10)"], "id", values=[f"AVG({D('death')})"])
allow("patients-followup-by-death", "SELECT death, AVG(futime) AS avg_followup FROM patients GROUP BY death",
      "patients", ["death"], "id", values=[f"AVG({D('futime')})"])
allow("patients-top-causes", "SELECT chapter, COUNT(*) AS deaths FROM patients WHERE death = 1 GROUP BY chapter ORDER BY deaths DESC LIMIT 5",
      "patients", ["chapter"], "id", where="death = 1", values=["COUNT(*)"], complete=False)
allow("patients-age-by-chapter", "SELECT chapter, AVG(age) AS avg_age FROM patients GROUP BY chapter",
      "patients", ["chapter"], "id", values=[f"AVG({D('age')})"])
allow("patients-high-creatinine", "SELECT sex, COUNT(*) AS n FROM patients WHERE creatinine > 1.2 GROUP BY sex",
      "patients", ["sex"], "id", where="creatinine > 1.2", values=["COUNT(*)"])
allow("patients-65-plus", "SELECT CASE WHEN age < 65 THEN 'under 65' ELSE '65+' END AS band, sex, COUNT(*) AS n FROM patients GROUP BY CASE WHEN age < 65 THEN 'under 65' ELSE '65+' END, sex",
      "patients", ["CASE WHEN age < 65 THEN 'under 65' ELSE '65+' END", "sex"], "id", values=["COUNT(*)"])
allow("patients-deaths-by-year", "SELECT sample_yr, SUM(death) AS deaths FROM patients GROUP BY sample_yr",
      "patients", ["sample_yr"], "id", values=["SUM(death)"])
allow("patients-creatinine-measured", "SELECT sex, COUNT(creatinine) AS measured FROM patients GROUP BY sex",
      "patients", ["sex"], "id", values=["COUNT(creatinine)"])
allow("patients-creatinine-not-null", "SELECT flc_grp, AVG(creatinine) AS avg_creatinine FROM patients WHERE creatinine IS NOT NULL GROUP BY flc_grp",
      "patients", ["flc_grp"], "id", where="creatinine IS NOT NULL", values=["AVG(creatinine)"])
allow("patients-decade-sex", "SELECT FLOOR(age / 10) AS decade, sex, COUNT(*) AS n FROM patients GROUP BY FLOOR(age / 10), sex",
      "patients", ["FLOOR(age / 10)", "sex"], "id", values=["COUNT(*)"])
allow("patients-light-chains-sum", "SELECT mgus, AVG(kappa + lambda) AS total_flc FROM patients GROUP BY mgus",
      "patients", ["mgus"], "id", values=["AVG(kappa + lambda)"])
allow("patients-fifties", "SELECT sex, COUNT(*) AS n FROM patients WHERE age BETWEEN 50 AND 59 GROUP BY sex",
      "patients", ["sex"], "id", where="age BETWEEN 50 AND 59", values=["COUNT(*)"])
allow("patients-distinct-by-death", "SELECT death, COUNT(DISTINCT id) AS people FROM patients GROUP BY death",
      "patients", ["death"], "id", values=["COUNT(DISTINCT id)"])
allow("patients-total", "SELECT COUNT(*) AS n, AVG(age) AS avg_age FROM patients", "patients", [], "id",
      values=["COUNT(*)", f"AVG({D('age')})"])
allow("patients-chapter-sex-year", "SELECT chapter, sex, sample_yr, COUNT(*) AS n FROM patients WHERE death = 1 GROUP BY chapter, sex, sample_yr",
      "patients", ["chapter", "sex", "sample_yr"], "id", where="death = 1", values=["COUNT(*)"])
allow("patients-deaths-filter", "SELECT sex, COUNT(*) FILTER (WHERE death = 1) AS deaths, COUNT(*) AS n FROM patients GROUP BY sex",
      "patients", ["sex"], "id")
allow("patients-high-kappa-share", "SELECT sex, AVG(CASE WHEN kappa > 2 THEN 1.0 ELSE 0.0 END) AS share FROM patients GROUP BY sex",
      "patients", ["sex"], "id")
allow("patients-old-followup", "SELECT chapter, AVG(futime) AS followup FROM patients WHERE age >= 80 AND death = 1 GROUP BY chapter",
      "patients", ["chapter"], "id", where="age >= 80 AND death = 1", values=[f"AVG({D('futime')})"])

# ---------------- residents ----------------
allow("residents-by-district", "SELECT district, COUNT(*) AS n FROM residents GROUP BY district",
      "residents", ["district"], "person_id", values=["COUNT(*)"])
allow("residents-by-gender", "SELECT gender, COUNT(*) AS n FROM residents GROUP BY gender",
      "residents", ["gender"], "person_id", values=["COUNT(*)"])
allow("residents-income-by-district", "SELECT district, AVG(income) AS avg_income FROM residents GROUP BY district",
      "residents", ["district"], "person_id", values=["AVG(income)"])
allow("residents-by-diagnosis", "SELECT diagnosis, COUNT(*) AS n FROM residents GROUP BY diagnosis",
      "residents", ["diagnosis"], "person_id", values=["COUNT(*)"])
allow("residents-district-gender", "SELECT district, gender, COUNT(*) AS n FROM residents GROUP BY district, gender",
      "residents", ["district", "gender"], "person_id", values=["COUNT(*)"])
allow("residents-birth-decade", "SELECT FLOOR(YEAR(birth_date) / 10) * 10 AS decade, COUNT(*) AS n FROM residents GROUP BY FLOOR(YEAR(birth_date) / 10) * 10",
      "residents", ["FLOOR(YEAR(birth_date) / 10) * 10"], "person_id", values=["COUNT(*)"])
allow("residents-income-by-diagnosis", "SELECT diagnosis, AVG(income) AS avg_income FROM residents GROUP BY diagnosis",
      "residents", ["diagnosis"], "person_id", values=["AVG(income)"])
allow("residents-hypertension-by-district", "SELECT district, COUNT(*) AS n FROM residents WHERE diagnosis = '高血压' GROUP BY district",
      "residents", ["district"], "person_id", where="diagnosis = '高血压'", values=["COUNT(*)"])
allow("residents-high-income", "SELECT district, COUNT(*) AS n FROM residents WHERE income > 80000 GROUP BY district",
      "residents", ["district"], "person_id", where="income > 80000", values=["COUNT(*)"])
allow("residents-hypertension-share", "SELECT district, AVG(CASE WHEN diagnosis = '高血压' THEN 1 ELSE 0 END) AS share FROM residents GROUP BY district",
      "residents", ["district"], "person_id")
allow("residents-income-by-gender", "SELECT gender, SUM(income) AS total_income FROM residents GROUP BY gender",
      "residents", ["gender"], "person_id", values=["SUM(income)"])
allow("residents-district-diagnosis", "SELECT district, diagnosis, COUNT(*) AS n FROM residents GROUP BY district, diagnosis",
      "residents", ["district", "diagnosis"], "person_id", values=["COUNT(*)"])
allow("residents-born-after-1990", "SELECT gender, COUNT(*) AS n FROM residents WHERE birth_date >= DATE '1990-01-01' GROUP BY gender",
      "residents", ["gender"], "person_id", where="birth_date >= DATE '1990-01-01'", values=["COUNT(*)"])
allow("residents-rounded-income", "SELECT district, ROUND(AVG(income), -3) AS avg_income FROM residents GROUP BY district",
      "residents", ["district"], "person_id")
allow("residents-distinct-people", "SELECT gender, COUNT(DISTINCT person_id) AS people FROM residents GROUP BY gender",
      "residents", ["gender"], "person_id", values=["COUNT(DISTINCT person_id)"])
allow("residents-top-diagnoses", "SELECT diagnosis, COUNT(*) AS n FROM residents GROUP BY diagnosis ORDER BY 2 DESC LIMIT 5",
      "residents", ["diagnosis"], "person_id", values=["COUNT(*)"], complete=False)
allow("residents-rich-districts", "SELECT district, AVG(income) AS avg_income FROM residents GROUP BY district HAVING AVG(income) > 50000",
      "residents", ["district"], "person_id", values=["AVG(income)"], complete=False)
allow("residents-rare-disease", "SELECT district, COUNT(*) AS n FROM residents WHERE diagnosis = '系统性红斑狼疮' GROUP BY district",
      "residents", ["district"], "person_id", where="diagnosis = '系统性红斑狼疮'", values=["COUNT(*)"])
allow("residents-gender-decade", "SELECT gender, FLOOR(YEAR(birth_date) / 10) AS decade, COUNT(*) AS n FROM residents GROUP BY gender, FLOOR(YEAR(birth_date) / 10)",
      "residents", ["gender", "FLOOR(YEAR(birth_date) / 10)"], "person_id", values=["COUNT(*)"])
allow("residents-count-if-diabetes", "SELECT district, count_if(diagnosis = '2型糖尿病') AS diabetics FROM residents GROUP BY district",
      "residents", ["district"], "person_id")
allow("residents-in-districts", "SELECT district, AVG(income) AS avg_income FROM residents WHERE district IN ('洪山区', '武昌区', '江岸区') GROUP BY district",
      "residents", ["district"], "person_id", where="district IN ('洪山区', '武昌区', '江岸区')", values=["AVG(income)"])
allow("residents-district-like", "SELECT gender, COUNT(*) AS n FROM residents WHERE district LIKE '%山%' GROUP BY gender",
      "residents", ["gender"], "person_id", where="district LIKE '%山%'", values=["COUNT(*)"])
allow("residents-total", "SELECT COUNT(*) AS n FROM residents", "residents", [], "person_id", values=["COUNT(*)"])
allow("residents-income-bracket-filter", "SELECT diagnosis, COUNT(*) AS n FROM residents WHERE income BETWEEN 30000 AND 60000 GROUP BY diagnosis",
      "residents", ["diagnosis"], "person_id", where="income BETWEEN 30000 AND 60000", values=["COUNT(*)"])
allow("residents-isolating-rare-cell", "SELECT COUNT(*) AS n FROM residents WHERE district = '神农架林区' AND diagnosis = '肺结核'",
      "residents", [], "person_id", where="district = '神农架林区' AND diagnosis = '肺结核'", values=["COUNT(*)"])
allow("residents-isolating-average", "SELECT AVG(income) AS income FROM residents WHERE district = '神农架林区' AND gender = '女' AND diagnosis = '冠心病'",
      "residents", [], "person_id", where="district = '神农架林区' AND gender = '女' AND diagnosis = '冠心病'", values=["AVG(income)"])
reject("agg-division-by-data", "SELECT district, SUM(1 / (income - 50000)) AS s FROM residents GROUP BY district", "AGGREGATE_ARGUMENT")

# ---------------- medical visits ----------------
allow("visits-by-hospital", "SELECT hospital, COUNT(*) AS visits FROM medical_visits GROUP BY hospital",
      "medical_visits", ["hospital"], "person_id", values=["COUNT(*)"])
allow("visits-cost-by-icd10", "SELECT icd10, AVG(cost) AS avg_cost FROM medical_visits GROUP BY icd10",
      "medical_visits", ["icd10"], "person_id", values=["AVG(cost)"])
allow("visits-by-year", "SELECT YEAR(visit_date) AS y, COUNT(*) AS visits FROM medical_visits GROUP BY YEAR(visit_date)",
      "medical_visits", ["YEAR(visit_date)"], "person_id", values=["COUNT(*)"])
allow("visits-by-month", "SELECT YEAR(visit_date) AS y, MONTH(visit_date) AS m, COUNT(*) AS visits FROM medical_visits GROUP BY YEAR(visit_date), MONTH(visit_date)",
      "medical_visits", ["YEAR(visit_date)", "MONTH(visit_date)"], "person_id", values=["COUNT(*)"])
allow("visits-cost-by-hospital", "SELECT hospital, SUM(cost) AS total_cost FROM medical_visits GROUP BY hospital",
      "medical_visits", ["hospital"], "person_id", values=["SUM(cost)"])
allow("visits-patients-by-icd10", "SELECT icd10, COUNT(DISTINCT person_id) AS patients FROM medical_visits GROUP BY icd10",
      "medical_visits", ["icd10"], "person_id", values=["COUNT(DISTINCT person_id)"])
allow("visits-expensive", "SELECT hospital, COUNT(*) AS visits FROM medical_visits WHERE cost > 1000 GROUP BY hospital",
      "medical_visits", ["hospital"], "person_id", where="cost > 1000", values=["COUNT(*)"])
allow("visits-cost-hospital-year", "SELECT hospital, YEAR(visit_date) AS y, AVG(cost) AS avg_cost FROM medical_visits GROUP BY hospital, YEAR(visit_date)",
      "medical_visits", ["hospital", "YEAR(visit_date)"], "person_id", values=["AVG(cost)"])
allow("visits-recent-by-icd10", "SELECT icd10, COUNT(*) AS visits FROM medical_visits WHERE visit_date >= DATE '2024-01-01' GROUP BY icd10",
      "medical_visits", ["icd10"], "person_id", where="visit_date >= DATE '2024-01-01'", values=["COUNT(*)"])
allow("visits-by-quarter", "SELECT QUARTER(visit_date) AS q, COUNT(*) AS visits FROM medical_visits GROUP BY QUARTER(visit_date)",
      "medical_visits", ["QUARTER(visit_date)"], "person_id", values=["COUNT(*)"])
allow("visits-2023-by-hospital", "SELECT hospital, COUNT(*) AS visits, SUM(cost) AS cost FROM medical_visits WHERE visit_date >= DATE '2023-01-01' AND visit_date < DATE '2024-01-01' GROUP BY hospital",
      "medical_visits", ["hospital"], "person_id", where="visit_date >= DATE '2023-01-01' AND visit_date < DATE '2024-01-01'", values=["COUNT(*)", "SUM(cost)"])

# ---------------- joins and sub-queries ----------------
J = "residents r JOIN medical_visits v ON r.person_id = v.person_id"
allow("join-visits-by-district", "SELECT r.district, COUNT(*) AS visits FROM residents r JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.district",
      J, ["r.district"], "r.person_id", values=["COUNT(*)"])
allow("join-cost-by-diagnosis", "SELECT r.diagnosis, AVG(v.cost) AS avg_cost FROM residents r JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.diagnosis",
      J, ["r.diagnosis"], "r.person_id", values=["AVG(v.cost)"])
allow("join-patients-by-hospital-gender", "SELECT v.hospital, r.gender, COUNT(DISTINCT r.person_id) AS patients FROM residents r JOIN medical_visits v ON r.person_id = v.person_id GROUP BY v.hospital, r.gender",
      J, ["v.hospital", "r.gender"], "r.person_id", values=["COUNT(DISTINCT r.person_id)"])
allow("join-demo-query", "SELECT r.district, COUNT(DISTINCT r.person_id) AS patients, COUNT(*) AS visits, ROUND(AVG(v.cost), 2) AS avg_visit_cost FROM residents r JOIN medical_visits v ON r.person_id = v.person_id WHERE r.diagnosis IN ('高血压', '2型糖尿病') GROUP BY r.district ORDER BY patients DESC",
      J, ["r.district"], "r.person_id", where="r.diagnosis IN ('高血压', '2型糖尿病')", values=["COUNT(DISTINCT r.person_id)", "COUNT(*)"])
allow("join-visits-by-birth-decade", "SELECT FLOOR(YEAR(r.birth_date) / 10) AS decade, COUNT(*) AS visits FROM residents r JOIN medical_visits v ON r.person_id = v.person_id GROUP BY FLOOR(YEAR(r.birth_date) / 10)",
      J, ["FLOOR(YEAR(r.birth_date) / 10)"], "r.person_id", values=["COUNT(*)"])
allow("join-using-where", "SELECT r.gender, COUNT(*) AS visits FROM residents r, medical_visits v WHERE r.person_id = v.person_id GROUP BY r.gender",
      J, ["r.gender"], "r.person_id", values=["COUNT(*)"])
allow("subquery-in", "SELECT COUNT(*) AS n FROM residents WHERE person_id IN (SELECT person_id FROM medical_visits WHERE cost > 3000)",
      "residents", [], "person_id", where="person_id IN (SELECT person_id FROM medical_visits WHERE cost > 3000)", values=["COUNT(*)"])
allow("subquery-exists-by-gender", "SELECT gender, COUNT(*) AS n FROM residents r WHERE EXISTS (SELECT 1 FROM medical_visits v WHERE v.person_id = r.person_id AND v.cost > 5000) GROUP BY gender",
      "residents r", ["gender"], "person_id", where="EXISTS (SELECT 1 FROM medical_visits v WHERE v.person_id = r.person_id AND v.cost > 5000)", values=["COUNT(*)"])
allow("sub-join-of-aggregates", "SELECT a.district, a.residents, b.patients FROM (SELECT district, COUNT(*) AS residents FROM residents GROUP BY district) a JOIN (SELECT r.district, COUNT(DISTINCT r.person_id) AS patients FROM residents r JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.district) b ON a.district = b.district",
      note="two aggregates of residents side by side, each thresholded on its own")
reject("sub-join-of-aggregates-difference", "SELECT a.district, a.residents - b.patients AS without_visits FROM (SELECT district, COUNT(*) AS residents FROM residents GROUP BY district) a JOIN (SELECT r.district, COUNT(DISTINCT r.person_id) AS patients FROM residents r JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.district) b ON a.district = b.district", "SUBTOTALS")
allow("join-of-aggregates-two-tables", "SELECT a.sex, a.arrested, p.patients FROM (SELECT sex, COUNT(*) AS arrested FROM arrests GROUP BY sex) a JOIN (SELECT CASE WHEN sex = 'F' THEN 'Female' ELSE 'Male' END AS sex, COUNT(*) AS patients FROM patients GROUP BY CASE WHEN sex = 'F' THEN 'Female' ELSE 'Male' END) p ON a.sex = p.sex",
      note="join of two thresholded aggregates of different tables")
allow("left-join-residents", "SELECT r.district, COUNT(v.visit_id) AS visits FROM residents r LEFT JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.district",
      "residents r LEFT JOIN medical_visits v ON r.person_id = v.person_id", ["r.district"], "r.person_id", values=["COUNT(v.visit_id)"])
allow("subquery-visits-per-person", "SELECT AVG(visits) AS avg_visits FROM (SELECT r.district, COUNT(*) AS visits FROM residents r JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.district) t",
      note="aggregate over thresholded district groups")
allow("cte-two-levels", "WITH d AS (SELECT district, AVG(income) AS avg_income, COUNT(*) AS n FROM residents GROUP BY district) SELECT district, avg_income FROM d ORDER BY avg_income DESC",
      "residents", ["district"], "person_id", values=["AVG(income)"])
allow("not-exists-anti-join", "SELECT COUNT(*) AS n FROM residents r WHERE NOT EXISTS (SELECT 1 FROM medical_visits v WHERE v.person_id = r.person_id)",
      "residents r", [], "person_id", where="NOT EXISTS (SELECT 1 FROM medical_visits v WHERE v.person_id = r.person_id)", values=["COUNT(*)"])
allow("literal-only", "SELECT 1 AS one", note="no data at all")
# per-person counts, then statistics of them (issue 9 deliverable 7): the inner groups are people
allow("visits-per-person-histogram", "SELECT n, COUNT(*) AS people FROM (SELECT person_id, COUNT(*) AS n FROM medical_visits GROUP BY person_id) t GROUP BY n",
      note="histogram of per-person counts, thresholded by people")
allow("people-with-5-visits", "SELECT COUNT(*) AS people FROM (SELECT person_id FROM medical_visits GROUP BY person_id HAVING COUNT(*) >= 5) t",
      note="people with at least 5 visits")
allow("people-with-5-visits-where", "SELECT COUNT(*) AS people FROM (SELECT person_id, COUNT(*) AS n FROM medical_visits GROUP BY person_id) t WHERE n >= 5",
      note="people with at least 5 visits, as a filter")
allow("mean-visits-per-person", "SELECT AVG(n) AS visits FROM (SELECT person_id, COUNT(*) AS n FROM medical_visits GROUP BY person_id) t",
      note="mean of per-person counts")
allow("district-visits-per-person", "SELECT r.district, AVG(v.n) AS visits FROM residents r JOIN (SELECT person_id, COUNT(*) AS n FROM medical_visits GROUP BY person_id) v ON r.person_id = v.person_id GROUP BY r.district",
      note="per-person counts joined to people")
allow("frequent-patients-by-hospital", "SELECT hospital, COUNT(*) AS frequent FROM (SELECT person_id, hospital, COUNT(*) AS n FROM medical_visits GROUP BY person_id, hospital) t WHERE n >= 3 GROUP BY hospital",
      note="people with 3 visits to one hospital, by hospital")
allow("literal-union-aggregate", "SELECT 'all' AS district, 0 AS n UNION ALL SELECT district, COUNT(*) FROM residents GROUP BY district",
      note="literal rows carry nothing")
allow("comment-in-query", "SELECT district, COUNT(*) AS n -- per district\nFROM residents GROUP BY district",
      "residents", ["district"], "person_id", values=["COUNT(*)"])

# ================= attacks =================
# row-level output
reject("rl-select-star", "SELECT * FROM residents", "ROW_LEVEL_OUTPUT")
reject("rl-name-phone", "SELECT name, phone FROM residents", "ROW_LEVEL_OUTPUT")
reject("rl-id-card-in-district", "SELECT id_card FROM residents WHERE district = '神农架林区'", "ROW_LEVEL_OUTPUT")
reject("rl-income", "SELECT district, income FROM residents", "ROW_LEVEL_OUTPUT")
reject("rl-diagnosis", "SELECT diagnosis FROM residents", "ROW_LEVEL_OUTPUT")
reject("rl-birth-date", "SELECT birth_date FROM residents", "ROW_LEVEL_OUTPUT")
reject("rl-arrests-age", "SELECT age, sex FROM arrests", "ROW_LEVEL_OUTPUT")
reject("rl-patients-chapter", "SELECT * FROM patients WHERE chapter = 'Neoplasms'", "ROW_LEVEL_OUTPUT")
reject("rl-visit-person", "SELECT person_id FROM medical_visits", "ROW_LEVEL_OUTPUT")
reject("rl-union-literal-smuggle", "SELECT 'x' AS v UNION ALL SELECT name FROM residents", "ROW_LEVEL_OUTPUT")
reject("rl-cte", "WITH x AS (SELECT name, phone FROM residents) SELECT * FROM x", "ROW_LEVEL_OUTPUT")
reject("rl-order-limit-one", "SELECT income FROM residents ORDER BY income DESC LIMIT 1", "ROW_LEVEL_OUTPUT")
reject("rl-dimensions-only", "SELECT district FROM residents", "ROW_LEVEL_OUTPUT")
reject("rl-join-rows", "SELECT r.name, v.cost FROM residents r JOIN medical_visits v ON r.person_id = v.person_id", "ROW_LEVEL_OUTPUT")
reject("rl-derived-expression", "SELECT UPPER(name) || phone AS x FROM residents", "ROW_LEVEL_OUTPUT")
reject("rl-count-over-window", "SELECT name, COUNT(*) OVER () AS n FROM residents", "WINDOW_OVER_ROWS")
# grouping by identifiers or exact quasi-identifiers
reject("gb-person-id", "SELECT person_id, COUNT(*) FROM residents GROUP BY person_id", "ROW_LEVEL_OUTPUT")  # per-person rows are row-level output
reject("gb-id-card", "SELECT id_card, COUNT(*) FROM residents GROUP BY id_card", "GROUP_BY_NOT_DIMENSION")
reject("gb-birth-date", "SELECT birth_date, COUNT(*) FROM residents GROUP BY birth_date", "GROUP_BY_NOT_DIMENSION")
reject("gb-exact-age", "SELECT age, COUNT(*) FROM arrests GROUP BY age", "GROUP_BY_NOT_DIMENSION")
reject("gb-birth-year", "SELECT YEAR(birth_date), COUNT(*) FROM residents GROUP BY YEAR(birth_date)", "GROUP_BY_NOT_DIMENSION")
reject("gb-narrow-age-band", "SELECT FLOOR(age / 2), COUNT(*) FROM arrests GROUP BY FLOOR(age / 2)", "GROUP_BY_NOT_DIMENSION")
reject("gb-income", "SELECT income, COUNT(*) FROM residents GROUP BY income", "GROUP_BY_NOT_DIMENSION")
reject("gb-phone", "SELECT phone, COUNT(*) FROM residents GROUP BY phone", "GROUP_BY_NOT_DIMENSION")
reject("gb-visit-date", "SELECT visit_date, COUNT(*) FROM medical_visits GROUP BY visit_date", "GROUP_BY_NOT_DIMENSION")
reject("gb-id-card-prefix", "SELECT SUBSTRING(id_card, 1, 6) AS region, COUNT(*) FROM residents GROUP BY SUBSTRING(id_card, 1, 6)", "GROUP_BY_NOT_DIMENSION")
reject("gb-distinct-names", "SELECT DISTINCT name FROM residents", "GROUP_BY_NOT_DIMENSION")
reject("gb-case-exact-age", "SELECT CASE WHEN age = 37 THEN 'x' ELSE 'y' END AS g, COUNT(*) FROM arrests GROUP BY CASE WHEN age = 37 THEN 'x' ELSE 'y' END", "IDENTIFIER_FILTER")
reject("gb-case-narrow-age", "SELECT CASE WHEN age >= 37 AND age < 38 THEN 'x' ELSE 'y' END AS g, COUNT(*) FROM arrests GROUP BY CASE WHEN age >= 37 AND age < 38 THEN 'x' ELSE 'y' END", "IDENTIFIER_FILTER")
reject("gb-cost", "SELECT cost, COUNT(*) FROM medical_visits GROUP BY cost", "GROUP_BY_NOT_DIMENSION")
reject("gb-visit-id", "SELECT visit_id, SUM(cost) FROM medical_visits GROUP BY visit_id", "GROUP_BY_NOT_DIMENSION")
reject("gb-patients-age", "SELECT age, AVG(kappa) FROM patients GROUP BY age", "GROUP_BY_NOT_DIMENSION")
reject("gb-address", "SELECT address, COUNT(*) FROM residents GROUP BY address", "GROUP_BY_NOT_DIMENSION")
# extreme, collection and identifier aggregates
reject("agg-max-income", "SELECT district, MAX(income) FROM residents GROUP BY district", "EXTREME_VALUE_AGGREGATE")
reject("agg-min-birth", "SELECT MIN(birth_date) FROM residents", "EXTREME_VALUE_AGGREGATE")
reject("agg-listagg-names", "SELECT district, LISTAGG(name, ',') FROM residents GROUP BY district", "COLLECTION_AGGREGATE")
reject("agg-collect-list", "SELECT district, collect_list(name) FROM residents GROUP BY district", "FUNCTION_NOT_ALLOWED")
reject("agg-stddev", "SELECT district, STDDEV(income) FROM residents GROUP BY district", "EXTREME_VALUE_AGGREGATE")
reject("agg-any-value", "SELECT district, ANY_VALUE(name) FROM residents GROUP BY district", "EXTREME_VALUE_AGGREGATE")
reject("agg-max-cost", "SELECT hospital, MAX(cost) FROM medical_visits GROUP BY hospital", "EXTREME_VALUE_AGGREGATE")
reject("agg-min-age", "SELECT sex, MIN(age) FROM arrests GROUP BY sex", "EXTREME_VALUE_AGGREGATE")
reject("agg-sum-person-id", "SELECT district, SUM(person_id) FROM residents GROUP BY district", "IDENTIFIER_AGGREGATE")
reject("agg-count-distinct-name", "SELECT district, COUNT(DISTINCT name) FROM residents GROUP BY district", "IDENTIFIER_AGGREGATE")
reject("agg-avg-name-length", "SELECT district, AVG(CHAR_LENGTH(name)) FROM residents GROUP BY district", "IDENTIFIER_AGGREGATE")
reject("agg-sum-case-id-card", "SELECT district, SUM(CASE WHEN id_card = '420106199003071234' THEN income ELSE 0 END) FROM residents GROUP BY district", "IDENTIFIER_FILTER")
reject("agg-sum-case-exact-age", "SELECT sex, SUM(CASE WHEN age = 37 AND colour = 'White' AND year = 2001 THEN checks ELSE 0 END) FROM arrests GROUP BY sex", "IDENTIFIER_FILTER")
reject("agg-sum-case-id", "SELECT sex, SUM(CASE WHEN id = 17 THEN checks ELSE 0 END) FROM arrests GROUP BY sex", "IDENTIFIER_FILTER")
reject("agg-max-case-name", "SELECT MAX(CASE WHEN name = '王伟' THEN income END) FROM residents", "IDENTIFIER_FILTER")
reject("agg-having-max", "SELECT district, COUNT(*) FROM residents GROUP BY district HAVING MAX(income) > 900000", "EXTREME_VALUE_AGGREGATE")
reject("agg-scalar-subquery-max", "SELECT (SELECT MAX(income) FROM residents) AS top_income", "EXTREME_VALUE_AGGREGATE")
reject("agg-var-pop", "SELECT sex, VAR_POP(creatinine) FROM patients GROUP BY sex", "EXTREME_VALUE_AGGREGATE")
reject("agg-count-if-name", "SELECT district, count_if(name = '李娜') FROM residents GROUP BY district", "IDENTIFIER_FILTER")
reject("agg-filter-phone", "SELECT district, COUNT(*) FILTER (WHERE phone LIKE '138%') FROM residents GROUP BY district", "IDENTIFIER_FILTER")
# filters that single people out
reject("f-person-id", "SELECT COUNT(*) FROM residents WHERE person_id = 5", "IDENTIFIER_FILTER")
reject("f-id-card", "SELECT AVG(income) FROM residents WHERE id_card = '420106199003071234'", "IDENTIFIER_FILTER")
reject("f-name-like", "SELECT AVG(income) FROM residents WHERE name LIKE '王%'", "IDENTIFIER_FILTER")
reject("f-phone-prefix", "SELECT COUNT(*) FROM residents WHERE phone LIKE '138%'", "IDENTIFIER_FILTER")
reject("f-birth-date", "SELECT COUNT(*) FROM residents WHERE birth_date = DATE '1990-03-07'", "IDENTIFIER_FILTER")
reject("f-exact-age", "SELECT COUNT(*) FROM arrests WHERE age = 37", "IDENTIFIER_FILTER")
reject("f-age-in", "SELECT COUNT(*) FROM arrests WHERE age IN (17, 63)", "IDENTIFIER_FILTER")
reject("f-id-not-equal", "SELECT COUNT(*) FROM arrests WHERE id <> 4242", "IDENTIFIER_FILTER")
reject("f-id-range", "SELECT COUNT(*) FROM arrests WHERE id BETWEEN 100 AND 105", "IDENTIFIER_FILTER")
reject("f-address", "SELECT COUNT(*) FROM residents WHERE address LIKE '%解放大道12号%'", "IDENTIFIER_FILTER")
reject("f-visit-id", "SELECT SUM(cost) FROM medical_visits WHERE visit_id = 'V00000001'", "IDENTIFIER_FILTER")
reject("f-exists-visit-id", "SELECT COUNT(*) FROM residents r WHERE EXISTS (SELECT 1 FROM medical_visits v WHERE v.person_id = r.person_id AND v.visit_id = 'V00000001')", "IDENTIFIER_FILTER")
reject("f-in-subquery-visit-id", "SELECT AVG(income) FROM residents WHERE person_id IN (SELECT person_id FROM medical_visits WHERE visit_id = 'V00000002')", "IDENTIFIER_FILTER")
reject("f-birth-date-point-range", "SELECT COUNT(*) FROM residents WHERE birth_date BETWEEN DATE '1990-03-07' AND DATE '1990-03-07'", "IDENTIFIER_FILTER")
reject("f-age-point-by-two-bounds", "SELECT COUNT(*) FROM arrests WHERE age >= 37 AND age <= 37", "IDENTIFIER_FILTER")
reject("f-age-narrow-range", "SELECT COUNT(*) FROM arrests WHERE age > 36 AND age < 38", "IDENTIFIER_FILTER")
reject("f-birth-month", "SELECT COUNT(*) FROM residents WHERE birth_date >= DATE '1990-03-01' AND birth_date < DATE '1990-04-01'", "IDENTIFIER_FILTER")
reject("f-birth-year-equals", "SELECT COUNT(*) FROM residents WHERE YEAR(birth_date) = 1990", "IDENTIFIER_FILTER")
reject("f-visit-day", "SELECT SUM(cost) FROM medical_visits WHERE visit_date = DATE '2024-05-05'", "IDENTIFIER_FILTER")
reject("f-or-smuggle", "SELECT COUNT(*) FROM residents WHERE district = '洪山区' OR person_id = 7", "IDENTIFIER_FILTER")
reject("f-not-person", "SELECT AVG(income) FROM residents WHERE NOT (person_id = 7)", "IDENTIFIER_FILTER")
# joins
reject("j-unrelated-ids", "SELECT a.sex, COUNT(*) FROM arrests a JOIN patients p ON a.id = p.id GROUP BY a.sex", "JOIN_NOT_ALLOWED")
reject("j-dimension-key", "SELECT r.gender, COUNT(*) FROM residents r JOIN medical_visits v ON r.district = v.hospital GROUP BY r.gender", "JOIN_NOT_ALLOWED")
reject("j-cross", "SELECT r.gender, COUNT(*) FROM residents r, patients p GROUP BY r.gender", "JOIN_NOT_ALLOWED")
reject("j-self-on-district", "SELECT a.gender, COUNT(*) FROM residents a JOIN residents b ON a.district = b.district GROUP BY a.gender", "JOIN_NOT_ALLOWED")
reject("j-expression-key", "SELECT r.gender, COUNT(*) FROM residents r JOIN medical_visits v ON r.person_id + 1 = v.person_id GROUP BY r.gender", "JOIN_NOT_ALLOWED")
reject("j-non-equi", "SELECT r.gender, COUNT(*) FROM residents r JOIN medical_visits v ON r.person_id = v.person_id AND r.income > v.cost * 100 GROUP BY r.gender", "JOIN_NOT_ALLOWED")
# functions and side channels
reject("fn-reflect", "SELECT reflect('java.lang.Runtime', 'getRuntime') AS x", "FUNCTION_NOT_ALLOWED")
reject("fn-java-method", "SELECT java_method('java.lang.System', 'getenv', 'HOME') AS x", "FUNCTION_NOT_ALLOWED")
reject("fn-input-file-name", "SELECT COUNT(*), input_file_name() FROM arrests", "FUNCTION_NOT_ALLOWED")
reject("fn-raise-error", "SELECT district, COUNT(*) FROM residents WHERE raise_error('x') IS NULL GROUP BY district", "FUNCTION_NOT_ALLOWED")
reject("fn-assert-true", "SELECT district, COUNT(*) FROM residents WHERE assert_true(income < 900000) IS NULL GROUP BY district", "FUNCTION_NOT_ALLOWED")
reject("fn-rand", "SELECT district, COUNT(*) FROM residents WHERE RAND() < 0.5 GROUP BY district", "FUNCTION_NOT_ALLOWED")
reject("fn-uuid", "SELECT uuid() AS u", "SYNTAX_ERROR")
reject("fn-hash-name", "SELECT district, COUNT(*) FROM residents WHERE hash(name) > 0 GROUP BY district", "FUNCTION_NOT_ALLOWED")
reject("fn-md5", "SELECT md5(id_card) AS h FROM residents", "FUNCTION_NOT_ALLOWED")
reject("fn-udf", "SELECT my_udf(income) FROM residents", "FUNCTION_NOT_ALLOWED")
reject("fn-regexp", "SELECT district, COUNT(*) FROM residents WHERE regexp_like(name, '^王') GROUP BY district", "FUNCTION_NOT_ALLOWED")
reject("fn-file-path", "SELECT * FROM parquet.`/etc/passwd`", "NOT_FOUND")
reject("fn-csv-path", "SELECT COUNT(*) FROM csv.`/tmp/x.csv`", "NOT_FOUND")
# statements and syntax
reject("st-drop", "DROP TABLE residents", "SYNTAX_ERROR")
reject("st-insert", "INSERT INTO residents VALUES (1)", "UNSUPPORTED_STATEMENT")
reject("st-two-statements", "SELECT 1; SELECT name FROM residents", "SYNTAX_ERROR")
reject("st-set", "SET spark.sql.ansi.enabled = true", "UNSUPPORTED_STATEMENT")
reject("st-create-as", "CREATE TABLE copy AS SELECT * FROM residents", "UNSUPPORTED_STATEMENT")
reject("st-malformed", "SELECT district, COUNT(* FROM residents GROUP BY district", "SYNTAX_ERROR")
reject("st-unknown-table", "SELECT COUNT(*) FROM citizens", "NOT_FOUND")
reject("st-unknown-column", "SELECT nickname, COUNT(*) FROM residents GROUP BY nickname", "NOT_FOUND")
# limits, windows, grouping sets
reject("lw-top-ten-average", "SELECT AVG(income) FROM (SELECT income FROM residents ORDER BY income DESC LIMIT 10) t", "ROW_LIMIT")
reject("lw-row-number", "SELECT district, COUNT(*) FROM (SELECT district, ROW_NUMBER() OVER (ORDER BY income DESC) AS rn FROM residents) t WHERE rn = 1 GROUP BY district", "WINDOW_OVER_ROWS")
reject("lw-lag", "SELECT AVG(d) FROM (SELECT income - LAG(income) OVER (ORDER BY person_id) AS d FROM residents) t", "WINDOW_OVER_ROWS")
reject("lw-ntile", "SELECT q, COUNT(*) FROM (SELECT NTILE(100) OVER (ORDER BY income) AS q FROM residents) t GROUP BY q", "WINDOW_OVER_ROWS")
reject("lw-rollup", "SELECT district, gender, COUNT(*) FROM residents GROUP BY ROLLUP(district, gender)", "GROUPING_SETS")
reject("lw-cube", "SELECT sex, colour, COUNT(*) FROM arrests GROUP BY CUBE(sex, colour)", "GROUPING_SETS")
reject("lw-grouping-sets", "SELECT sex, colour, COUNT(*) FROM arrests GROUP BY GROUPING SETS ((sex), (colour))", "GROUPING_SETS")
reject("lw-offset", "SELECT AVG(income) FROM (SELECT income FROM residents ORDER BY income LIMIT 1 OFFSET 5) t", "ROW_LIMIT")
# literal rows and scalar sub-queries
reject("lit-values-subquery", "SELECT x FROM (VALUES (1)) t (x) WHERE x IN (SELECT COUNT(*) FROM residents WHERE name = '李娜')", "IDENTIFIER_FILTER")
reject("lit-scalar-income", "SELECT (SELECT income FROM residents WHERE district = '神农架林区' LIMIT 1) AS v", "ROW_LEVEL_OUTPUT")
reject("lit-union-values-name", "SELECT * FROM (VALUES ('a')) t (c) UNION ALL SELECT phone FROM residents", "ROW_LEVEL_OUTPUT")

# ---- found by review: conditional aggregates, NULL tricks, combined ranges, subtotals ----
def neutralized(id, sql, frm, groups, unit, cells, where=None, complete=True):
    e = {"id": id, "sql": sql, "expect": "ALLOW", "attack": True,
         "oracle": {"from": frm, "groups": list(groups), "unit": unit, "values": [], "complete": complete, "cells": cells}}
    if where: e["oracle"]["where"] = where
    out.append(e)
neutralized("cell-avg-income-of-one", "SELECT AVG(CASE WHEN district = '神农架林区' AND gender = '女' AND diagnosis = '冠心病' THEN income END) AS v FROM residents",
      "residents", [], "person_id", [{"output": 0, "condition": "district = '神农架林区' AND gender = '女' AND diagnosis = '冠心病'"}])
neutralized("cell-sum-indicator-rare", "SELECT district, SUM(CASE WHEN diagnosis = '系统性红斑狼疮' THEN 1 ELSE 0 END) AS n FROM residents GROUP BY district",
      "residents", ["district"], "person_id", [{"output": 1, "condition": "diagnosis = '系统性红斑狼疮'"}])
neutralized("cell-count-case-rare", "SELECT district, COUNT(CASE WHEN diagnosis = '肺结核' THEN 1 END) AS n FROM residents GROUP BY district",
      "residents", ["district"], "person_id", [{"output": 1, "condition": "diagnosis = '肺结核'"}])
neutralized("cell-filter-complement", "SELECT district, COUNT(*) AS total, COUNT(*) FILTER (WHERE COALESCE(diagnosis, '') <> '肺结核') AS rest FROM residents GROUP BY district",
      "residents", ["district"], "person_id", [{"output": 2, "condition": "COALESCE(diagnosis, '') <> '肺结核'"}])
neutralized("cell-sum-filter-complement", "SELECT district, SUM(income) AS total, SUM(income) FILTER (WHERE COALESCE(diagnosis, '') <> '肺结核') AS rest FROM residents GROUP BY district",
      "residents", ["district"], "person_id", [{"output": 2, "condition": "COALESCE(diagnosis, '') <> '肺结核'"}])
neutralized("cell-having-equals-one", "SELECT district, COUNT(*) AS n FROM residents GROUP BY district HAVING SUM(CASE WHEN diagnosis = '肺结核' THEN 1 ELSE 0 END) = 1",
      "residents", ["district"], "person_id", [], complete=False)
neutralized("cell-max-isolated", "SELECT MAX(CASE WHEN colour = 'Black' AND sex = 'Female' AND year = 2002 AND employed = 'No' THEN checks END) AS m FROM arrests",
      "arrests", [], "id", [{"output": 0, "condition": "colour = 'Black' AND sex = 'Female' AND year = 2002 AND employed = 'No'"}])
reject("rv-avg-birth-year", "SELECT district, AVG(YEAR(birth_date)) FROM residents GROUP BY district", "IDENTIFIER_AGGREGATE")
reject("rv-count-division-name", "SELECT district, COUNT(1 / (CHAR_LENGTH(name) - 3)) FROM residents GROUP BY district", "AGGREGATE_ARGUMENT")
reject("rv-count-phone-digit", "SELECT COUNT(CASE WHEN district = '武昌区' AND gender = '女' AND diagnosis = '2型糖尿病' THEN 1 / (CAST(SUBSTRING(phone, 4, 1) AS INT) - 5) END) AS x FROM residents", "AGGREGATE_ARGUMENT")
reject("rv-filter-then-where-point", "SELECT colour, COUNT(*) FILTER (WHERE age <= 37) FROM arrests WHERE age >= 37 GROUP BY colour", "IDENTIFIER_FILTER")
reject("rv-nullif-id-card-sum", "SELECT SUM(income) AS total, SUM(income) FILTER (WHERE NULLIF(id_card, '420102199001011234') IS NOT NULL) AS others FROM residents", "IDENTIFIER_FILTER")
reject("rv-nullif-age", "SELECT colour, COUNT(*) FROM arrests WHERE NULLIF(age, 37) IS NULL GROUP BY colour", "IDENTIFIER_FILTER")
reject("rv-case-birth-day", "SELECT district, SUM(CASE WHEN birth_date < DATE '1990-05-17' THEN 0 WHEN birth_date < DATE '1990-05-18' THEN income ELSE 0 END) FROM residents GROUP BY district", "IDENTIFIER_FILTER")
reject("rv-nullif-id-card-count", "SELECT COUNT(*) FROM residents WHERE NULLIF(id_card, '420102199001011234') IS NULL", "IDENTIFIER_FILTER")
reject("rv-phone-digit-nullif", "SELECT COUNT(CASE WHEN district = '武昌区' AND gender = '女' AND NULLIF(SUBSTRING(phone, 4, 1), '5') IS NULL THEN 1 END) AS d5 FROM residents", "IDENTIFIER_FILTER")
reject("rv-birth-date-digits", "SELECT SUM(CASE WHEN district = '武昌区' AND gender = '女' THEN YEAR(birth_date) * 10000 + MONTH(birth_date) * 100 + DAYOFMONTH(birth_date) END) AS bd FROM residents", "IDENTIFIER_AGGREGATE")
reject("rv-case-one-year-band", "SELECT CASE WHEN age < 35 THEN 0 WHEN age < 36 THEN 1 ELSE 2 END AS b, COUNT(*) FROM arrests GROUP BY CASE WHEN age < 35 THEN 0 WHEN age < 36 THEN 1 ELSE 2 END", "IDENTIFIER_FILTER")
reject("rv-sign-indicator", "SELECT colour, SUM(1 - SIGN(ABS(age - 37))) AS aged37 FROM arrests GROUP BY colour", "AGGREGATE_ARGUMENT")
reject("rv-total-minus-groups", "SELECT (SELECT SUM(income) FROM residents) - (SELECT SUM(s) FROM (SELECT district, gender, diagnosis, SUM(income) s FROM residents GROUP BY district, gender, diagnosis) t) AS suppressed", "SUBTOTALS")
reject("rv-nested-filters-point", "SELECT colour, COUNT(*) FROM (SELECT * FROM arrests WHERE age >= 37) t WHERE age <= 37 GROUP BY colour", "IDENTIFIER_FILTER")
reject("rv-two-age-bands", "SELECT FLOOR(age / 5) + 1000 * FLOOR(age / 6) AS b, COUNT(*) FROM arrests GROUP BY FLOOR(age / 5) + 1000 * FLOOR(age / 6)", "GROUP_BY_NOT_DIMENSION")
reject("rv-two-decades", "SELECT FLOOR(YEAR(birth_date) / 10) AS a, FLOOR(YEAR(birth_date) / 11) AS b, COUNT(*) FROM residents GROUP BY FLOOR(YEAR(birth_date) / 10), FLOOR(YEAR(birth_date) / 11)", "GROUP_BY_NOT_DIMENSION")
out.append({"id": "rv-union-total", "sql": "SELECT district, COUNT(*) AS c FROM residents GROUP BY district UNION ALL SELECT 'ALL', COUNT(*) FROM residents",
            "expect": "ALLOW", "attack": True, "note": "each row has k people; the suppressed districts' sum by subtraction is differencing across values, as with two queries"})
reject("rv-total-minus-group", "SELECT district, (SELECT COUNT(*) FROM residents) - COUNT(*) AS others FROM residents GROUP BY district", "SUBTOTALS")
reject("rv-sum-of-union-total", "SELECT SUM(c) AS suppressed FROM (SELECT district, COUNT(*) AS c FROM residents GROUP BY district UNION ALL SELECT 'ALL', -COUNT(*) FROM residents) t", "SUBTOTALS")
reject("rv-share-times-total", "SELECT district, (COUNT(*) * 1.0 / (SELECT COUNT(*) FROM residents) - 1) * (SELECT COUNT(*) FROM residents) AS others FROM residents GROUP BY district", "SUBTOTALS")
reject("rv-sum-of-shares", "SELECT 1 - SUM(share) AS suppressed_share FROM (SELECT district, gender, COUNT(*) * 1.0 / (SELECT COUNT(*) FROM residents) AS share FROM residents GROUP BY district, gender) t", "SUBTOTALS")
reject("rv-lpad-oracle", "SELECT district, COUNT(*) FROM residents WHERE CHAR_LENGTH(LPAD('x', CAST(income AS INT), 'y')) > 0 GROUP BY district", "FUNCTION_NOT_ALLOWED")

# ---------------- issue 9: soundness, from the rule "every released value has k units behind it" ----------------
# Padding: rows that carry no data of the value (a literal UNION ALL branch, the unmatched side of an outer
# join) must not count as people behind it. The witness counts only the rows the value comes from.
PAD_JOIN = "residents r LEFT JOIN (SELECT person_id, cost, visit_id FROM medical_visits WHERE cost > 20000) v ON r.person_id = v.person_id"
neutralized("pad-union-literal-branch", "SELECT district, SUM(x) AS s FROM (SELECT district, income AS x FROM residents WHERE income > 200000 UNION ALL SELECT district, 0 FROM residents) t GROUP BY district",
      "residents", ["district"], "person_id", [{"output": 1, "condition": "income > 200000"}])
neutralized("pad-union-null-branch", "SELECT district, COUNT(x) AS c FROM (SELECT district, income AS x FROM residents WHERE income > 200000 UNION ALL SELECT district, NULL FROM residents) t GROUP BY district",
      "residents", ["district"], "person_id", [{"output": 1, "condition": "income > 200000"}])
neutralized("pad-left-join-sum", "SELECT r.district, SUM(v.cost) AS s FROM " + PAD_JOIN + " GROUP BY r.district",
      PAD_JOIN, ["r.district"], "r.person_id", [{"output": 1, "condition": "v.cost IS NOT NULL"}])
neutralized("pad-left-join-count", "SELECT r.district, COUNT(v.visit_id) AS c FROM " + PAD_JOIN + " GROUP BY r.district",
      PAD_JOIN, ["r.district"], "r.person_id", [{"output": 1, "condition": "v.visit_id IS NOT NULL"}])
neutralized("pad-left-join-avg-in-cte", "WITH v AS (SELECT person_id, cost FROM medical_visits WHERE cost > 20000) SELECT r.gender, AVG(v.cost) AS a FROM residents r LEFT JOIN v ON r.person_id = v.person_id GROUP BY r.gender",
      PAD_JOIN, ["r.gender"], "r.person_id", [{"output": 1, "condition": "v.cost IS NOT NULL"}])
neutralized("pad-right-join-sum", "SELECT r.district, SUM(v.cost) AS s FROM (SELECT person_id, cost, visit_id FROM medical_visits WHERE cost > 20000) v RIGHT JOIN residents r ON r.person_id = v.person_id GROUP BY r.district",
      PAD_JOIN, ["r.district"], "r.person_id", [{"output": 1, "condition": "v.cost IS NOT NULL"}])
# COALESCE is a CASE: its padding cell has no unit of the padded side, so the value is never released
neutralized("pad-coalesce-padding", "SELECT r.district, SUM(COALESCE(v.cost, 0)) AS s FROM " + PAD_JOIN + " GROUP BY r.district",
      PAD_JOIN, ["r.district"], "r.person_id", [], complete=False)
# Hidden conditions: a value that is an indicator of one person's data without a CASE the rewrite can see.
reject("hc-case-below-join", "SELECT r.district, SUM(t.x) FROM residents r JOIN (SELECT person_id, CASE WHEN cost > 90000 THEN cost ELSE 0 END AS x FROM medical_visits) t ON r.person_id = t.person_id GROUP BY r.district", "AGGREGATE_ARGUMENT")
reject("hc-case-below-union", "SELECT district, SUM(x) FROM (SELECT district, CASE WHEN income > 900000 THEN income ELSE 0 END AS x FROM residents UNION ALL SELECT district, 0 FROM residents WHERE 1 = 0) t GROUP BY district", "AGGREGATE_ARGUMENT")
reject("hc-product-of-differences", "SELECT colour, SUM((age - 30) * (age - 31)) FROM arrests GROUP BY colour", "AGGREGATE_ARGUMENT")
reject("hc-product-in-subquery", "SELECT colour, SUM(p) FROM (SELECT colour, (checks - 1) * (checks - 2) AS p FROM arrests) t GROUP BY colour", "AGGREGATE_ARGUMENT")
reject("hc-round-indicator", "SELECT district, SUM(ROUND(income / 2000000)) FROM residents GROUP BY district", "AGGREGATE_ARGUMENT")
reject("hc-floor-indicator-below-join", "SELECT r.district, SUM(t.f) FROM residents r JOIN (SELECT person_id, FLOOR(cost / 99000) AS f FROM medical_visits) t ON r.person_id = t.person_id GROUP BY r.district", "AGGREGATE_ARGUMENT")
reject("hc-narrowing-cast-count", "SELECT district, COUNT(CAST(income AS TINYINT)) FROM residents GROUP BY district", "AGGREGATE_ARGUMENT")
reject("hc-narrowing-cast-below", "SELECT district, COUNT(x) FROM (SELECT district, CAST(income AS SMALLINT) AS x FROM residents) t GROUP BY district", "AGGREGATE_ARGUMENT")
reject("hc-division-by-difference", "SELECT colour, COUNT(1 / (checks - 3)) FROM arrests GROUP BY colour", "AGGREGATE_ARGUMENT")
reject("hc-abs-sign", "SELECT sex, SUM(SIGN(kappa - 20)) FROM patients GROUP BY sex", "AGGREGATE_ARGUMENT")
neutralized("hc-greatest", "SELECT sex, SUM(GREATEST(kappa, 45)) AS g FROM patients GROUP BY sex",
      "patients", ["sex"], "id", [{"output": 1, "condition": "kappa > 45"}])
reject("hc-mod-indicator", "SELECT colour, SUM(MOD(checks, 7)) FROM arrests GROUP BY colour", "AGGREGATE_ARGUMENT")
neutralized("hc-if-indicator", "SELECT district, SUM(IF(income > 800000, 1, 0)) AS n FROM residents GROUP BY district",
      "residents", ["district"], "person_id", [{"output": 1, "condition": "income > 800000"}])
neutralized("hc-case-in-nested-projection", "SELECT district, SUM(x) AS s FROM (SELECT district, CASE WHEN income > 800000 THEN income ELSE 0 END AS x FROM residents) t GROUP BY district",
      "residents", ["district"], "person_id", [{"output": 1, "condition": "income > 800000"}])
# Extremes: the largest value, or the number of distinct values, can be one person's alone.
reject("ex-max-measure", "SELECT sex, MAX(kappa) FROM patients GROUP BY sex", "EXTREME_VALUE_AGGREGATE")
reject("ex-min-quasi-identifier-subquery", "SELECT MIN(a) FROM (SELECT age AS a FROM arrests) t", "EXTREME_VALUE_AGGREGATE")
# the largest number of checks in a colour is one person's alone when nobody else has it: only shared values count
neutralized("ex-max-dimension-shared", "SELECT colour, MAX(checks) AS m FROM arrests GROUP BY colour",
      "arrests", ["colour"], "id", [], complete=True)
reject("ex-count-distinct-dimension", "SELECT district, COUNT(DISTINCT diagnosis) FROM residents GROUP BY district", "EXTREME_VALUE_AGGREGATE")
reject("ex-count-distinct-measure", "SELECT sex, COUNT(DISTINCT kappa) FROM patients GROUP BY sex", "EXTREME_VALUE_AGGREGATE")
# Legitimate: linear arithmetic, ratios of measures, people counts through joins.
allow("legit-ratio-of-measures", "SELECT chapter, AVG(kappa / lambda) AS ratio FROM patients GROUP BY chapter",
      "patients", ["chapter"], "id", values=[], complete=False)
allow("legit-linear-combination", "SELECT sex, AVG(2 * kappa + lambda / 2 - 1) AS score FROM patients GROUP BY sex",
      "patients", ["sex"], "id", values=["AVG(2 * kappa + lambda / 2 - 1)"])
allow("legit-people-with-visits", "SELECT r.district, COUNT(DISTINCT v.person_id) AS people FROM residents r JOIN medical_visits v ON r.person_id = v.person_id GROUP BY r.district",
      "residents r JOIN medical_visits v ON r.person_id = v.person_id", ["r.district"], "r.person_id", values=["COUNT(DISTINCT v.person_id)"])
# Errors and time: whether a job fails, or takes much longer, must not depend on a value.
reject("err-like-pattern-from-data", "SELECT district, COUNT(*) FROM residents WHERE district LIKE diagnosis GROUP BY district", "FUNCTION_NOT_ALLOWED")
reject("err-like-pattern-concat", "SELECT district, COUNT(*) FROM residents WHERE gender LIKE CONCAT(SUBSTRING(diagnosis, 1, 1), '%') GROUP BY district", "FUNCTION_NOT_ALLOWED")
reject("err-like-in-case-cell", "SELECT district, SUM(CASE WHEN gender LIKE diagnosis THEN 1 ELSE 0 END) FROM residents GROUP BY district", "FUNCTION_NOT_ALLOWED")
reject("err-replace-growth", "SELECT district, COUNT(*) FROM residents WHERE CHAR_LENGTH(REPLACE(REPLACE(REPLACE(diagnosis, '病', '病病病病'), '病', '病病病病'), '病', '病病病病')) > 3 GROUP BY district", "FUNCTION_NOT_ALLOWED")
reject("err-replace-search-from-data", "SELECT district, COUNT(*) FROM residents WHERE REPLACE(diagnosis, gender, '') = diagnosis GROUP BY district", "FUNCTION_NOT_ALLOWED")
allow("legit-like-cell", "SELECT colour, COUNT(*) FILTER (WHERE released LIKE 'Y%') AS released_n, COUNT(*) AS n FROM arrests GROUP BY colour",
      "arrests", ["colour"], "id")
allow("legit-replace-shrinks", "SELECT REPLACE(diagnosis, '型', '') AS d, COUNT(*) AS n FROM residents GROUP BY REPLACE(diagnosis, '型', '')",
      "residents", ["REPLACE(diagnosis, '型', '')"], "person_id", values=["COUNT(*)"])
# Buckets: a filter must not cut a group's bucket into a piece narrower than the policy's width.
reject("bk-one-sided-floor", "SELECT FLOOR(age / 5) AS b, COUNT(*) FROM arrests WHERE age >= 39 GROUP BY FLOOR(age / 5)", "IDENTIFIER_FILTER")
reject("bk-one-sided-greater", "SELECT FLOOR(age / 10) AS b, COUNT(*) FROM patients WHERE age > 48 GROUP BY FLOOR(age / 10)", "IDENTIFIER_FILTER")
reject("bk-filter-outside-subquery", "SELECT b, COUNT(*) FROM (SELECT FLOOR(age / 5) AS b, age FROM arrests) t WHERE age < 21 GROUP BY b", "IDENTIFIER_FILTER")
reject("bk-filter-inside-subquery", "SELECT b, COUNT(*) FROM (SELECT FLOOR(age / 5) AS b FROM arrests WHERE age <= 40) t GROUP BY b", "IDENTIFIER_FILTER")
reject("bk-case-bucket-filter-outside", "SELECT b, COUNT(*) FROM (SELECT CASE WHEN age < 40 THEN 'a' ELSE 'b' END AS b, age FROM arrests) t WHERE age >= 39 GROUP BY b", "IDENTIFIER_FILTER")
reject("bk-ceil-one-sided", "SELECT CEIL(age / 5) AS b, COUNT(*) FROM arrests WHERE age >= 40 GROUP BY CEIL(age / 5)", "IDENTIFIER_FILTER")
reject("bk-floor-and-ceil", "SELECT FLOOR(age / 5) AS a, CEIL(age / 5) AS c, COUNT(*) FROM arrests GROUP BY FLOOR(age / 5), CEIL(age / 5)", "GROUP_BY_NOT_DIMENSION")
reject("bk-open-range-narrow", "SELECT sex, COUNT(*) FROM arrests WHERE age > 36 AND age < 39 GROUP BY sex", "IDENTIFIER_FILTER")
reject("bk-filter-in-aggregate-filter", "SELECT FLOOR(age / 5) AS b, COUNT(*) FILTER (WHERE age >= 39) FROM arrests GROUP BY FLOOR(age / 5)", "IDENTIFIER_FILTER")
allow("legit-bucket-aligned-filter", "SELECT FLOOR(age / 5) AS b, COUNT(*) AS n FROM arrests WHERE age >= 40 GROUP BY FLOOR(age / 5)",
      "arrests", ["FLOOR(age / 5)"], "id", where="age >= 40", values=["COUNT(*)"])
allow("legit-two-way-case-bucket", "SELECT CASE WHEN age < 18 THEN 'child' ELSE 'adult' END AS b, COUNT(*) AS n FROM arrests GROUP BY CASE WHEN age < 18 THEN 'child' ELSE 'adult' END",
      "arrests", ["CASE WHEN age < 18 THEN 'child' ELSE 'adult' END"], "id", values=["COUNT(*)"])
# From the independent oracle's first findings (guard-oracle branch), on the reference tables.
neutralized("of-or-in-where-max", "SELECT MAX(district) AS m FROM residents WHERE district = '武昌区' OR diagnosis = '系统性红斑狼疮'",
      "residents", [], "person_id", [], complete=False)
neutralized("of-padding-union-other-table", "SELECT g, SUM(x) AS s FROM (SELECT 'all' AS g, income AS x FROM residents WHERE diagnosis = '系统性红斑狼疮' UNION ALL SELECT 'all', 0.0 FROM medical_visits) t GROUP BY g",
      "residents", [], "person_id", [], complete=False)
neutralized("of-padding-left-join-rows-side", "SELECT v.hospital, SUM(p.income) AS s FROM medical_visits v LEFT JOIN (SELECT person_id, income FROM residents WHERE diagnosis = '系统性红斑狼疮') p ON v.person_id = p.person_id GROUP BY v.hospital",
      "medical_visits v LEFT JOIN (SELECT person_id, income FROM residents WHERE diagnosis = '系统性红斑狼疮') p ON v.person_id = p.person_id",
      ["v.hospital"], "v.person_id", [{"output": 1, "condition": "p.income IS NOT NULL"}])
reject("of-income-times-cast-indicator", "SELECT sex, SUM(kappa * CAST((creatinine - 9) / 100 + 1 AS INT)) FROM patients GROUP BY sex", "AGGREGATE_ARGUMENT")

print(sum(1 for e in out if e["expect"]=="ALLOW" and not e.get("attack")), "analyst,", sum(1 for e in out if e["expect"]=="REJECT" or e.get("attack")), "attacks,", len(out), "total")
ids=[e["id"] for e in out]; assert len(ids)==len(set(ids)), "duplicate ids"
with open("guard-corpus.jsonl","w") as f:
    for e in out:
        f.write(json.dumps(e, ensure_ascii=False)+"\n")
