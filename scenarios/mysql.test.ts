// The same lesson for MySQL (MariaDB when the stand-in images are used: the report says which
// engine ran). Each cell writes the seed's employees and 10,000 generated readings, disrupts
// the container and compares per-table row counts and content hashes computed in SQL.
import { describePersistenceMatrix } from '../src/matrix/suite.ts';
import { mysql } from '../src/services/mysql/driver.ts';

describePersistenceMatrix('mysql', mysql);
