META
key;value
description;Bürgerbudget Teststadt 2026
country;Germany
unit;Teststadt
instance;2026
num_projects;4
num_votes;6
budget;1000.50
vote_type;approval
rule;equalshares/add1
min_length;1
currency;EUR
comment;"#1: a value with ""quotes"" and a ; semicolon"
PROJECTS
project_id;cost;votes;name;category;selected
p1;600;4;Spielplatz am Markt;"sport,children";1
p2;400.50;3;"Bänke; mehr Bänke";public space;1
p3;300;2;Trinkbrunnen;;0
p-4;0;0;Ohne Stimmen;None;0
VOTES
voter_id;age;sex;vote;voting_method
1;34;f;p1,p2;internet
2;51;m;p1;paper
3;23;;p2,p3,p1;internet
4;19;f;p1,p3;internet
5;62;f;;paper
6;44;m;p2;internet
