-- The shop's data the tests and the worked example dump: orders with their time, and users.
CREATE TABLE users (id serial PRIMARY KEY, email text);
INSERT INTO users (email) SELECT 'user' || g || '@example.com' FROM generate_series(1, 2000) g;
CREATE TABLE orders (id serial PRIMARY KEY, user_id integer NOT NULL REFERENCES users, total numeric(10, 2) NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO orders (user_id, total) SELECT 1 + g % 2000, g % 500 FROM generate_series(1, 20000) g;
