SELECT ward, COUNT(*) AS visits, AVG(fee) AS avg_fee FROM visits GROUP BY ward
