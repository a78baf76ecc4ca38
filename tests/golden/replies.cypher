// newsgraph: 4 actors, 4 relations.
// openCypher for Neo4j and Memgraph; on Kùzu, create the Actor table and one REL TABLE per
// relationship type first, and skip the constraint.
CREATE CONSTRAINT actor_iri IF NOT EXISTS FOR (a:Actor) REQUIRE a.iri IS UNIQUE;
CREATE (:Actor {iri: 'urn:newsgraph:actor:sergey-lavrov', name: 'Sergey Lavrov', type: 'person', aliases: [], mentions: 5, documents: 4});
CREATE (:Actor {iri: 'urn:newsgraph:actor:josep-borrell', name: 'Josep Borrell', type: 'person', aliases: [], mentions: 3, documents: 3});
CREATE (:Actor {iri: 'urn:newsgraph:actor:antony-blinken', name: 'Antony Blinken', type: 'person', aliases: [], mentions: 1, documents: 1});
CREATE (:Actor {iri: 'urn:newsgraph:actor:pedro-sanchez', name: 'Pedro Sánchez', type: 'person', aliases: [], mentions: 1, documents: 1});
MATCH (s:Actor {iri: 'urn:newsgraph:actor:josep-borrell'}), (o:Actor {iri: 'urn:newsgraph:actor:sergey-lavrov'}) CREATE (s)-[:REPLY_TO {iri: 'urn:newsgraph:relation:josep-borrell/reply-to/sergey-lavrov', label: 'reply to', relation_class: 'statement', count: 2, first_date: '2022-02-10', last_date: '2022-02-14', symmetric: false}]->(o);
MATCH (s:Actor {iri: 'urn:newsgraph:actor:antony-blinken'}), (o:Actor {iri: 'urn:newsgraph:actor:sergey-lavrov'}) CREATE (s)-[:REPLY_TO {iri: 'urn:newsgraph:relation:antony-blinken/reply-to/sergey-lavrov', label: 'reply to', relation_class: 'statement', count: 1, first_date: '2022-02-12', last_date: '2022-02-12', symmetric: false}]->(o);
MATCH (s:Actor {iri: 'urn:newsgraph:actor:sergey-lavrov'}), (o:Actor {iri: 'urn:newsgraph:actor:josep-borrell'}) CREATE (s)-[:ACCUSE {iri: 'urn:newsgraph:relation:sergey-lavrov/accuse/josep-borrell', label: 'accuse', relation_class: 'accuse', count: 1, first_date: '2022-02-12', last_date: '2022-02-12', symmetric: false}]->(o);
MATCH (s:Actor {iri: 'urn:newsgraph:actor:pedro-sanchez'}), (o:Actor {iri: 'urn:newsgraph:actor:sergey-lavrov'}) CREATE (s)-[:REPLY_TO {iri: 'urn:newsgraph:relation:pedro-sanchez/reply-to/sergey-lavrov', label: 'reply to', relation_class: 'statement', count: 1, first_date: '2022-02-15', last_date: '2022-02-15', symmetric: false}]->(o);
