//! The playground: 2-D data, a small network trained live, its decision map (issue 15).
